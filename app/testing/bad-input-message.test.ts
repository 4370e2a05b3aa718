import { describe, expect, it } from 'vitest';
import { BAD_INPUTS, PLACEHOLDERS, WILDCARDS } from './bad-input-catalogue.js';
import { fillArgs, fillText, messagePattern } from './bad-input-message.js';

describe('the catalogue placeholders', () => {
  it('fill known parts of a text and leave unknown ones', () => {
    expect(fillText('{sandbox}/missing and {reason}', { sandbox: '/tmp/x' })).toBe('/tmp/x/missing and {reason}');
  });

  it('fill arguments deep, a lone placeholder taking the value with its type', () => {
    const args = { ports: [{ hostPort: '{port}' }], source: '{sandbox}/a', keep: 3 };
    expect(fillArgs(args, { port: 8080, sandbox: '/tmp/x' })).toEqual({
      ports: [{ hostPort: 8080 }],
      source: '/tmp/x/a',
      keep: 3,
    });
  });

  it('match a message exactly, known parts by value and unknown parts as any text', () => {
    const pattern = messagePattern('Port {port} is used (by {holder}).', { port: 80 });
    expect(pattern.test('Port 80 is used (by container web).')).toBe(true);
    expect(pattern.exec('Port 80 is used (by container web).')?.groups).toEqual({ holder: 'container web' });
    expect(pattern.test('Port 81 is used (by container web).')).toBe(false);
    expect(pattern.test('Port 80 is used (by ).')).toBe(false);
    expect(pattern.test('Port 80 is used (by web). And more.')).toBe(false);
    // Regular-expression characters in a message are themselves.
    expect(messagePattern('a (b) [c]?', {}).test('a (b) [c]?')).toBe(true);
    expect(messagePattern('a (b) [c]?', {}).test('a b [c]')).toBe(false);
  });
});

describe('the catalogue', () => {
  it('has at least 40 entries with unique ids, on every surface', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(BAD_INPUTS.map((entry) => entry.id)).size).toBe(BAD_INPUTS.length);
    for (const surface of ['UI', 'API', 'CLI'] as const) {
      expect(BAD_INPUTS.filter((entry) => entry.surface === surface).length).toBeGreaterThan(4);
    }
  });

  it('drives each entry the way its surface is used', () => {
    for (const entry of BAD_INPUTS) {
      const kind = entry.drive.kind;
      const expected = { UI: ['ui'], API: ['call', 'stream', 'volume-import'], CLI: ['cli', 'settings-file'] }[entry.surface];
      expect(expected, entry.id).toContain(kind);
    }
  });

  it('names every variable part: a placeholder the tests fill in, or a wildcard said why', () => {
    const known = new Set([...Object.keys(PLACEHOLDERS), ...Object.keys(WILDCARDS)]);
    for (const entry of BAD_INPUTS) {
      for (const [, name] of `${entry.input} ${entry.message} ${JSON.stringify(entry.drive)}`.matchAll(/\{([a-zA-Z]+)\}/g)) {
        expect(known, `${entry.id}: {${name}}`).toContain(name);
      }
    }
  });

  it('names no message that is generic', () => {
    for (const entry of BAD_INPUTS) {
      expect(entry.message, entry.id).not.toMatch(/^Invalid input|Too (big|small): expected|Unknown error|unexpected/i);
      expect(entry.message.length, entry.id).toBeGreaterThan(20);
    }
  });
});
