import { describe, expect, it } from 'vitest';
import { MAX_FRAME_DEPTH, nestsDeeperThan, parseClientFrame } from './client-frame.js';

describe('client frames', () => {
  it('parses an ordinary message', () => {
    expect(parseClientFrame('{"t":"call","id":1,"method":"containers.list","args":{}}')).toEqual({
      ok: true,
      value: { t: 'call', id: 1, method: 'containers.list', args: {} },
    });
  });

  it('refuses text that is not JSON', () => {
    expect(parseClientFrame('{"t":')).toEqual({ ok: false, reason: 'the frame is not JSON.' });
  });

  it('refuses a frame nested deeper than the bound, before parsing it', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const started = performance.now();
    expect(parseClientFrame(`{"t":"call","id":1,"method":"x","args":${deep}}`)).toEqual({
      ok: false,
      reason: `the frame nests deeper than ${MAX_FRAME_DEPTH} levels.`,
    });
    // The scan stops at the 65th level: it costs nothing like a parse of the whole frame.
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('counts only brackets outside strings, escapes included', () => {
    expect(nestsDeeperThan(JSON.stringify({ a: '[[[[[[[[[[', b: '\\"[[[[[[' }), 2)).toBe(false);
    expect(nestsDeeperThan('[[[]]]', 3)).toBe(false);
    expect(nestsDeeperThan('[[[[]]]]', 3)).toBe(true);
    expect(nestsDeeperThan('{"a":{"b":{"c":{}}}}', 3)).toBe(true);
  });
});
