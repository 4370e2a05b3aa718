import { describe, expect, it } from 'vitest';
import { EngineError } from '../core/index.js';
import { normaliseSignal } from './signals.js';

describe('normaliseSignal', () => {
  it.each([
    ['SIGKILL', 'SIGKILL'],
    ['kill', 'SIGKILL'],
    ['sigterm', 'SIGTERM'],
    [' HUP ', 'SIGHUP'],
    ['9', '9'],
    ['64', '64'],
    ['RTMIN+3', 'SIGRTMIN+3'],
    ['sigrtmax-2', 'SIGRTMAX-2'],
  ])('accepts %j as %j', (input, expected) => {
    expect(normaliseSignal(input)).toBe(expected);
  });

  it.each(['SIGFOO', '0', '65', '', 'RTMIN+40', 'KILL 9'])('refuses %j with a sentence naming it', (input) => {
    let error: unknown;
    try {
      normaliseSignal(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('invalid-argument');
    expect((error as EngineError).message).toContain(`"${input.trim()}" is not a signal`);
  });
});
