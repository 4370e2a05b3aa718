import { describe, expect, it } from 'vitest';
import { createConsoleApiLogger, createLineBudget, summarizeArgs } from './api-logger.js';

describe('summarizeArgs', () => {
  it('never logs a password, at any depth', () => {
    const text = summarizeArgs('images.login', { registry: '127.0.0.1:5000', username: 'alice', password: 'hunter2' });
    expect(text).not.toContain('hunter2');
    expect(text).toBe('{"registry":"127.0.0.1:5000","username":"alice","password":"…redacted…"}');
    expect(summarizeArgs('x.y', { nested: { authToken: 'abc', secret: 's' } })).toBe(
      '{"nested":{"authToken":"…redacted…","secret":"…redacted…"}}',
    );
  });

  it('never logs terminal input', () => {
    expect(summarizeArgs('terminal.input', { sessionId: 's', data: 'my password\r' })).toBe('{…redacted…}');
  });

  it('truncates long arguments', () => {
    const text = summarizeArgs('images.pull', { reference: 'a'.repeat(500) });
    expect(text.length).toBe(161);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('the log budget', () => {
  it('writes at most N lines a second per peer, then says how many it held back', () => {
    const lines: string[] = [];
    let now = 1_000;
    const log = createLineBudget(
      (line) => lines.push(line),
      3,
      () => now,
    );
    for (let n = 0; n < 10; n += 1) log('peer-a', `a${n}\n`);
    log('peer-b', 'b0\n');
    expect(lines).toEqual(['a0\n', 'a1\n', 'a2\n', 'b0\n']);
    now = 2_000;
    log('peer-a', 'a10\n');
    expect(lines.slice(4)).toEqual(['[api] peer-a 7 more lines like the above were not logged (at most 3 a second)\n', 'a10\n']);
  });

  it('cuts an error message in a failure line', () => {
    const lines: string[] = [];
    const logger = createConsoleApiLogger(false, (line) => lines.push(line));
    logger.call('peer-a', 'volumes.list', {}, { code: 'invalid-request', message: 'k'.repeat(900_000) }, 1);
    logger.refusal('peer-a', 'x'.repeat(900_000));
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.length).toBeLessThan(500);
  });
});
