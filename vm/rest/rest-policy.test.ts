import { describe, expect, it } from 'vitest';
import { planRest, restAfterAnswers, restAfterMinutesProblem } from './rest-policy.js';

const MINUTE = 60_000;

describe('planRest', () => {
  it('never rests when the setting is 0', () => {
    expect(planRest({ now: 10 * MINUTE, idleMs: 0, lastActivityAt: 0, waitingRequests: 0 })).toEqual({ kind: 'never' });
  });

  it('waits until the idle time has passed since the last activity, then asks', () => {
    const idle = { idleMs: 5 * MINUTE, lastActivityAt: MINUTE, waitingRequests: 0 };
    expect(planRest({ ...idle, now: 2 * MINUTE })).toEqual({ kind: 'wait', at: 6 * MINUTE });
    expect(planRest({ ...idle, now: 6 * MINUTE - 1 })).toEqual({ kind: 'wait', at: 6 * MINUTE });
    expect(planRest({ ...idle, now: 6 * MINUTE })).toEqual({ kind: 'ask' });
  });

  it('counts a request still waiting for its answer as activity now', () => {
    expect(planRest({ now: 60 * MINUTE, idleMs: 5 * MINUTE, lastActivityAt: 0, waitingRequests: 1 })).toEqual({
      kind: 'wait',
      at: 65 * MINUTE,
    });
  });
});

describe('restAfterAnswers', () => {
  it('rests only when nothing runs', () => {
    expect(restAfterAnswers({ runningContainers: 0, containerProcesses: 0 }, 0, MINUTE)).toEqual({ kind: 'rest' });
    expect(restAfterAnswers({ runningContainers: 0, containerProcesses: null }, 0, MINUTE)).toEqual({ kind: 'rest' });
  });

  it('never rests with a running container, or a build step the engine does not list', () => {
    expect(restAfterAnswers({ runningContainers: 1, containerProcesses: 0 }, 0, MINUTE)).toEqual({ kind: 'wait', at: MINUTE });
    expect(restAfterAnswers({ runningContainers: 0, containerProcesses: 2 }, 0, MINUTE)).toEqual({ kind: 'wait', at: MINUTE });
  });
});

describe('restAfterMinutesProblem', () => {
  it('accepts whole minutes from 0 to 1440', () => {
    for (const value of [0, 1, 5, 1440]) expect(restAfterMinutesProblem(value)).toBeNull();
  });

  it('refuses anything else, naming the range', () => {
    const range = 'restAfterMinutes must be a whole number of minutes from 0 (never rest) to 1440 (a day)';
    expect(restAfterMinutesProblem(-1)).toBe(`${range}; got -1.`);
    expect(restAfterMinutesProblem(1441)).toBe(`${range}; got 1441.`);
    expect(restAfterMinutesProblem(2.5)).toBe(`${range}; got 2.5.`);
    expect(restAfterMinutesProblem('5')).toBe(`${range}; got "5".`);
    expect(restAfterMinutesProblem(Number.NaN)).toBe(`${range}; got NaN.`);
  });
});
