/**
 * The engine connection as an explicit state machine. Pure: no I/O here, so the table and the
 * backoff can be tested exhaustively; EngineConnection drives it.
 */
import type { EngineInfo } from './engine-types.js';

export type ConnectionState =
  | { kind: 'idle' }
  /** lastFailure: why the engine was unreachable, kept while a retry is under way so a UI can still say it. */
  | { kind: 'connecting'; endpoint: string; attempt: number; lastFailure?: string }
  | { kind: 'connected'; endpoint: string; info: EngineInfo }
  | { kind: 'unreachable'; endpoint: string; reason: string; attempt: number; retryInMs: number }
  | { kind: 'disposed' };

export type ConnectionInput =
  | { type: 'start'; endpoint: string }
  | { type: 'ping-ok'; info: EngineInfo }
  | { type: 'ping-failed'; reason: string }
  | { type: 'lost'; reason: string }
  | { type: 'retry' }
  /** The connection now points at another engine (the VM after a boot, the engine the user switched to). */
  | { type: 'move'; endpoint: string }
  | { type: 'dispose' };

export const BACKOFF_BASE_MS = 250;
export const BACKOFF_MAX_MS = 5_000;

/** 250 ms, 500 ms, 1 s, 2 s, 4 s, then 5 s for as long as the engine stays away. */
export function backoffDelay(attempt: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
}

export class IllegalTransitionError extends Error {
  constructor(state: ConnectionState['kind'], input: ConnectionInput['type']) {
    super(`Engine connection: "${input}" is not allowed while ${state}`);
  }
}

/** The transition table. Every (state, input) pair not listed here is a programming error. */
export function nextConnectionState(state: ConnectionState, input: ConnectionInput): ConnectionState {
  // The same object when already disposed, so a second dispose() fires no second state change.
  if (input.type === 'dispose') return state.kind === 'disposed' ? state : { kind: 'disposed' };
  // A move starts afresh on the new engine from any live state, so the state names the engine it is about.
  if (input.type === 'move' && state.kind !== 'idle' && state.kind !== 'disposed') {
    return { kind: 'connecting', endpoint: input.endpoint, attempt: 1 };
  }
  switch (state.kind) {
    case 'idle':
      if (input.type === 'start') return { kind: 'connecting', endpoint: input.endpoint, attempt: 1 };
      break;
    case 'connecting':
      if (input.type === 'ping-ok') return { kind: 'connected', endpoint: state.endpoint, info: input.info };
      if (input.type === 'ping-failed') {
        return {
          kind: 'unreachable',
          endpoint: state.endpoint,
          reason: input.reason,
          attempt: state.attempt,
          retryInMs: backoffDelay(state.attempt),
        };
      }
      break;
    case 'connected':
      // A lost engine is retried at once (attempt 1): most losses are an engine restart.
      if (input.type === 'lost') {
        return { kind: 'unreachable', endpoint: state.endpoint, reason: input.reason, attempt: 0, retryInMs: 0 };
      }
      break;
    case 'unreachable':
      if (input.type === 'retry') {
        return { kind: 'connecting', endpoint: state.endpoint, attempt: state.attempt + 1, lastFailure: state.reason };
      }
      break;
    case 'disposed':
      return state;
  }
  throw new IllegalTransitionError(state.kind, input.type);
}
