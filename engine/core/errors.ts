/**
 * Engine failures as typed errors with codes a UI can act on. dockerode reports HTTP status codes and
 * the engine's message; we keep the message (it names the container or image) and add a code.
 */
export type EngineErrorCode =
  | 'not-found'
  | 'conflict'
  | 'in-use'
  | 'invalid-argument'
  | 'unreachable'
  | 'no-shell'
  | 'not-running'
  /** A registry refused the credentials (or asked for some and got none). */
  | 'unauthorized'
  /** The engine's disk has no space left: the user frees some (prune) or gives it more. */
  | 'disk-full'
  | 'engine-error';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

interface DockerodeError {
  statusCode?: number;
  json?: { message?: string } | null;
  reason?: string;
  code?: string;
  message?: string;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

/** The engine's own message, without dockerode's "(HTTP code 409) unexpected - " prefix. */
function engineMessage(error: DockerodeError): string {
  const fromJson = error.json?.message;
  if (fromJson) return fromJson.trim();
  const message = error.message ?? 'no message from the engine';
  return message.replace(/^\(HTTP code \d+\)\s*[\w ]+-\s*/, '').trim();
}

/** The engine's "No such container: web" as a sentence ("There is no container web."); other 404 texts as they are. */
function missingThing(message: string): string {
  const missing = /^No such (container|image|volume|network|exec instance):\s*(\S+)$/i.exec(message);
  if (missing) return `There is no ${missing[1]!.toLowerCase()} ${missing[2]!.replace(/\.$/, '')}.`;
  // Volumes say it their own way: "get cache: no such volume".
  const volume = /^get (\S+): no such volume$/i.exec(message);
  return volume ? `There is no volume ${volume[1]}.` : message;
}

/** How the engine (and every tool under it: the kernel's ENOSPC, containerd, the builder) says its disk is full. */
const DISK_FULL = /no space left on device/i;

/**
 * Whether an error says the engine's disk is full, whatever shape it reached us in: a disk-full
 * EngineError, or any error whose text carries the kernel's "no space left on device" (a build's or a
 * pull's stream, a start refused after a create), which services may have wrapped in another code.
 */
export function isDiskFullError(error: unknown): boolean {
  if (error instanceof EngineError && error.code === 'disk-full') return true;
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return DISK_FULL.test(message);
}

/**
 * Converts whatever dockerode threw into an EngineError. `context` names the action ("remove
 * container web") so that messages stay specific even when the engine's own text is terse.
 */
export function toEngineError(error: unknown, context: string): EngineError {
  if (error instanceof EngineError) return error;
  const e = (error ?? {}) as DockerodeError;
  if (e.code && UNREACHABLE_CODES.has(e.code)) {
    return new EngineError('unreachable', `The engine is unreachable (${e.code}) while trying to ${context}.`);
  }
  const message = engineMessage(e);
  // Before the status: the engine answers 500 to most writes on a full disk, but not only 500.
  if (DISK_FULL.test(message)) {
    return new EngineError('disk-full', `Could not ${context}: the engine's disk is full (${message}).`);
  }
  switch (e.statusCode) {
    case 400:
      return new EngineError('invalid-argument', message);
    case 404:
      return new EngineError('not-found', missingThing(message));
    case 409:
      // Services refine this (name taken vs. in use) where they know which action it was.
      return new EngineError('conflict', message);
    case 304:
      return new EngineError('conflict', `Nothing to do: ${context} (already in that state).`);
    default:
      return new EngineError('engine-error', `Could not ${context}: ${message}`);
  }
}

/**
 * How a socket says the engine went away after it had answered: the response was cut off before its
 * end (Node's "aborted", ECONNRESET), a write found it gone (EPIPE), or a stream closed early.
 */
const CUT_OFF_CODES = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);
const CUT_OFF_MESSAGES = /^(aborted|socket hang up|premature close)$/i;

/** True when a stream the engine was serving broke off mid-way: the engine stopped (or its link did). */
export function isEngineCutOff(error: unknown): boolean {
  if (error instanceof EngineError) return false;
  const { code, message } = (error ?? {}) as DockerodeError;
  return (code !== undefined && CUT_OFF_CODES.has(code)) || CUT_OFF_MESSAGES.test(message ?? '');
}

/**
 * The end of work the engine was doing when it went away, for a person: what was under way
 * ("during the pull of app:1") and what to do once it is back ("pull again").
 */
export function engineStoppedError(during: string, then: string): EngineError {
  return new EngineError('unreachable', `The engine stopped ${during}. Berth reconnects when it runs again; then ${then}.`);
}
