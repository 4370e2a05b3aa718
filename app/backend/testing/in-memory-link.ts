/**
 * The typed client and an ApiSession joined by an in-memory MessageCarrier. Messages go through JSON
 * (as over the WebSocket) and arrive on a later microtask, so ordering and re-entrancy are realistic.
 */
import { createRawClient, unwrapClient, type BerthClient, type RawBerthClient } from '../../contract/client.js';
import type { ClientMessage, MessageCarrier, ServerMessage } from '../../contract/wire.js';
import { ApiSession, type ApiLogger } from '../api-session.js';
import type { BerthImplementation } from '../implementation.js';

export interface InMemoryLink {
  readonly raw: RawBerthClient & { close(): void };
  readonly client: BerthClient;
  readonly session: ApiSession;
  /** Every message the client sent, in order. */
  readonly sent: ClientMessage[];
  /** Every message the session sent, in order. */
  readonly received: ServerMessage[];
  /** Sends a message past the typed client, as a hostile or buggy peer could. */
  sendRaw: (message: unknown) => void;
  /** The next send from the client throws, as a closed socket's would. */
  breakCarrier: () => void;
}

const overJson = <T>(message: T): T => JSON.parse(JSON.stringify(message)) as T;

export function createInMemoryLink(implementation: BerthImplementation, logger?: ApiLogger): InMemoryLink {
  const sent: ClientMessage[] = [];
  const received: ServerMessage[] = [];
  const listeners = new Set<(message: ServerMessage) => void>();
  let broken = false;

  const session = new ApiSession(
    implementation,
    (message) => {
      const copy = overJson(message);
      received.push(copy);
      queueMicrotask(() => {
        for (const listener of [...listeners]) listener(copy);
      });
    },
    { logger },
  );
  const toSession = (message: unknown) => {
    const copy = message === undefined ? undefined : overJson(message);
    queueMicrotask(() => session.receive(copy));
  };
  const carrier: MessageCarrier = {
    send(message) {
      if (broken) throw new Error('The socket is closed.');
      sent.push(overJson(message));
      toSession(message);
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const raw = createRawClient(carrier);
  return {
    raw,
    client: unwrapClient(raw),
    session,
    sent,
    received,
    sendRaw: toSession,
    breakCarrier: () => (broken = true),
  };
}

/** Lets every queued microtask chain run to its end (all in-memory traffic is microtasks). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
