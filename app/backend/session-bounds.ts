/**
 * What one peer may hold of the server at once. Every input from a peer is untrusted (browser mode's
 * WebSocket is reachable from any page the user visits, with or without the token), so each thing a
 * peer can make the server keep (calls, streams, buffered replies, text it echoes) has a bound, and
 * going past it is a clear error to the peer and a line in the log, never growth without end.
 */

export interface SessionLimits {
  /** Calls answered at once on one connection; the renderer rarely has more than a dozen out. */
  readonly callsInFlight: number;
  /** Streams open at once on one connection: a page with many terminals and views uses about 20. */
  readonly streams: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { callsInFlight: 64, streams: 128 };

/**
 * The transport's outgoing buffer, as the session sees it. While it is congested the session pulls no
 * more stream items (their sources stay paused), so a peer that stops reading holds at most the
 * high-water mark plus one item per stream, not each stream's whole window.
 */
export interface OutboundGate {
  readonly congested: boolean;
  /** Calls the listener each time the buffer drains below its low-water mark; returns a disposer. */
  onDrain(listener: () => void): () => void;
}

/** An error message is cut to this: engine messages are a sentence, and a peer's input may be echoed. */
export const MAX_ERROR_CHARS = 1_000;
/** A name from the peer (an unknown key, a method) is cut to this where a message quotes it. */
export const MAX_QUOTED_NAME_CHARS = 64;

/** The text, cut to `max` characters with a note of how much was left out. */
export function boundedText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
