import { describe, expect, it } from 'vitest';
import {
  BACKOFF_MAX_MS,
  IllegalTransitionError,
  backoffDelay,
  nextConnectionState,
  type ConnectionInput,
  type ConnectionState,
} from './connection-state.js';
import type { EngineInfo } from './engine-types.js';

const ENDPOINT = 'unix:///run/test.sock';
const INFO: EngineInfo = { version: '20.10.24', apiVersion: '1.41', os: 'linux', arch: 'amd64', kernelVersion: '6.1.0' };

const STATES: Record<ConnectionState['kind'], ConnectionState> = {
  idle: { kind: 'idle' },
  connecting: { kind: 'connecting', endpoint: ENDPOINT, attempt: 3 },
  connected: { kind: 'connected', endpoint: ENDPOINT, info: INFO },
  unreachable: { kind: 'unreachable', endpoint: ENDPOINT, reason: 'No socket', attempt: 3, retryInMs: 1_000 },
  disposed: { kind: 'disposed' },
};

const INPUTS: Record<ConnectionInput['type'], ConnectionInput> = {
  start: { type: 'start', endpoint: ENDPOINT },
  'ping-ok': { type: 'ping-ok', info: INFO },
  'ping-failed': { type: 'ping-failed', reason: 'No engine socket at unix:///run/test.sock' },
  lost: { type: 'lost', reason: 'The engine closed the connection.' },
  retry: { type: 'retry' },
  move: { type: 'move', endpoint: 'ssh://me@elsewhere' },
  dispose: { type: 'dispose' },
};

/** The whole table: every legal (state, input) pair with the state it must lead to. */
const LEGAL: Array<[ConnectionState['kind'], ConnectionInput['type'], ConnectionState]> = [
  ['idle', 'start', { kind: 'connecting', endpoint: ENDPOINT, attempt: 1 }],
  ['connecting', 'ping-ok', { kind: 'connected', endpoint: ENDPOINT, info: INFO }],
  [
    'connecting',
    'ping-failed',
    {
      kind: 'unreachable',
      endpoint: ENDPOINT,
      reason: 'No engine socket at unix:///run/test.sock',
      attempt: 3,
      retryInMs: 1_000,
    },
  ],
  [
    'connected',
    'lost',
    { kind: 'unreachable', endpoint: ENDPOINT, reason: 'The engine closed the connection.', attempt: 0, retryInMs: 0 },
  ],
  ['unreachable', 'retry', { kind: 'connecting', endpoint: ENDPOINT, attempt: 4, lastFailure: 'No socket' }],
  ['connecting', 'move', { kind: 'connecting', endpoint: 'ssh://me@elsewhere', attempt: 1 }],
  ['connected', 'move', { kind: 'connecting', endpoint: 'ssh://me@elsewhere', attempt: 1 }],
  ['unreachable', 'move', { kind: 'connecting', endpoint: 'ssh://me@elsewhere', attempt: 1 }],
  ['idle', 'dispose', { kind: 'disposed' }],
  ['connecting', 'dispose', { kind: 'disposed' }],
  ['connected', 'dispose', { kind: 'disposed' }],
  ['unreachable', 'dispose', { kind: 'disposed' }],
  ['disposed', 'dispose', { kind: 'disposed' }],
];

describe('nextConnectionState', () => {
  it.each(LEGAL)('%s + %s', (from, input, expected) => {
    expect(nextConnectionState(STATES[from], INPUTS[input])).toEqual(expected);
  });

  const legalPairs = new Set(LEGAL.map(([from, input]) => `${from}/${input}`));
  const illegal = (Object.keys(STATES) as Array<ConnectionState['kind']>)
    .filter((from) => from !== 'disposed')
    .flatMap((from) => (Object.keys(INPUTS) as Array<ConnectionInput['type']>).map((input) => [from, input] as const))
    .filter(([from, input]) => !legalPairs.has(`${from}/${input}`));

  it('checks every other pair: 4 live states x 7 inputs, minus the 12 legal ones', () => {
    expect(illegal).toHaveLength(4 * 7 - 12);
  });

  it.each(illegal)('%s + %s throws IllegalTransitionError', (from, input) => {
    expect(() => nextConnectionState(STATES[from], INPUTS[input])).toThrow(IllegalTransitionError);
    expect(() => nextConnectionState(STATES[from], INPUTS[input])).toThrow(`"${input}" is not allowed while ${from}`);
  });

  it.each(Object.keys(INPUTS) as Array<ConnectionInput['type']>)(
    'disposed stays disposed on %s (late callbacks are harmless)',
    (input) => {
      const disposed = STATES.disposed;
      expect(nextConnectionState(disposed, INPUTS[input])).toBe(disposed);
    },
  );

  it('runs a full life: start, fail twice with growing backoff, connect, lose, reconnect at once', () => {
    let state: ConnectionState = { kind: 'idle' };
    const step = (input: ConnectionInput) => (state = nextConnectionState(state, input));
    step(INPUTS.start);
    step(INPUTS['ping-failed']);
    expect(state).toMatchObject({ kind: 'unreachable', attempt: 1, retryInMs: 250 });
    step(INPUTS.retry);
    step(INPUTS['ping-failed']);
    expect(state).toMatchObject({ kind: 'unreachable', attempt: 2, retryInMs: 500 });
    step(INPUTS.retry);
    expect(state).toEqual({
      kind: 'connecting',
      endpoint: ENDPOINT,
      attempt: 3,
      lastFailure: 'No engine socket at unix:///run/test.sock',
    });
    step(INPUTS['ping-ok']);
    expect(state.kind).toBe('connected');
    step(INPUTS.lost);
    expect(state).toMatchObject({ kind: 'unreachable', attempt: 0, retryInMs: 0 });
    step(INPUTS.retry);
    // The retry keeps saying why the engine was lost.
    expect(state).toEqual({
      kind: 'connecting',
      endpoint: ENDPOINT,
      attempt: 1,
      lastFailure: 'The engine closed the connection.',
    });
    step(INPUTS['ping-failed']);
    expect(state).toMatchObject({ kind: 'unreachable', attempt: 1, retryInMs: 250 });
  });
});

describe('backoffDelay', () => {
  it('doubles from 250 ms and stays at 5 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(backoffDelay)).toEqual([250, 500, 1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('never exceeds the maximum, even after very many attempts', () => {
    expect(backoffDelay(1_000)).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(Number.MAX_SAFE_INTEGER)).toBe(BACKOFF_MAX_MS);
  });

  it('treats attempt 0 (a lost engine) like the first attempt', () => {
    expect(backoffDelay(0)).toBe(250);
  });
});
