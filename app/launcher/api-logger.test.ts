import { describe, expect, it } from 'vitest';
import { summarizeArgs } from './api-logger.js';

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
