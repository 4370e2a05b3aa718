/**
 * The typed client, generated from the contract over any MessageCarrier. Two layers, because Electron's
 * contextBridge drops everything but the message of a rejected Error:
 * - createRawClient: methods resolve to an outcome value ({ ok, value } | { ok, error }); this is what
 *   the preload exposes as window.berth.
 * - unwrapClient: turns outcomes back into values and BerthApiError rejections, in the renderer.
 */
import type { ArgsOf, BerthContract, ItemOf, MethodDefinition, ResultOf, StreamDefinition } from './contract.js';
import { berthContract } from './contract.js';
import { BerthApiError, type ApiErrorInfo } from './errors.js';
import type { ClientMessage, MessageCarrier, ServerMessage } from './wire.js';

export type MethodOutcome<T> = { ok: true; value: T } | { ok: false; error: ApiErrorInfo };

export interface StreamObserver<T> {
  /** Return a promise to hold back the next items until this one is processed (backpressure). */
  next(item: T): void | Promise<void>;
  error?(error: ApiErrorInfo): void;
  complete?(): void;
}

export interface Subscription {
  dispose(): void;
}

type ClientShape<Wrap extends 'raw' | 'unwrapped'> = {
  [N in keyof BerthContract]: {
    [M in keyof BerthContract[N]]: BerthContract[N][M] extends MethodDefinition
      ? (
          args: ArgsOf<BerthContract[N][M]>,
        ) => Promise<Wrap extends 'raw' ? MethodOutcome<ResultOf<BerthContract[N][M]>> : ResultOf<BerthContract[N][M]>>
      : BerthContract[N][M] extends StreamDefinition
        ? (args: ArgsOf<BerthContract[N][M]>, observer: StreamObserver<ItemOf<BerthContract[N][M]>>) => Subscription
        : never;
  };
};

export type RawBerthClient = ClientShape<'raw'>;
export type BerthClient = ClientShape<'unwrapped'>;

interface PendingCall {
  resolve(outcome: MethodOutcome<unknown>): void;
}

interface OpenStream {
  observer: StreamObserver<unknown>;
  unacked: number;
}

const DISCONNECTED: ApiErrorInfo = { code: 'unreachable', message: 'The connection to Berth was lost.' };

export function createRawClient(carrier: MessageCarrier): RawBerthClient & { close: () => void } {
  let nextId = 1;
  const calls = new Map<number, PendingCall>();
  const streams = new Map<number, OpenStream>();
  const acksDue = new Set<number>();
  let ackFlushQueued = false;

  const flushAcks = () => {
    ackFlushQueued = false;
    for (const id of acksDue) {
      const open = streams.get(id);
      if (open && open.unacked > 0) carrier.send({ t: 'ack', id, count: open.unacked });
      if (open) open.unacked = 0;
    }
    acksDue.clear();
  };
  const acknowledge = (id: number) => {
    const open = streams.get(id);
    if (!open) return;
    open.unacked += 1;
    acksDue.add(id);
    // Coalesce the acks of a burst into one message per stream.
    if (!ackFlushQueued) {
      ackFlushQueued = true;
      queueMicrotask(flushAcks);
    }
  };

  const stopListening = carrier.onMessage((message: ServerMessage) => {
    switch (message.t) {
      case 'result':
        calls.get(message.id)?.resolve({ ok: true, value: message.value });
        calls.delete(message.id);
        break;
      case 'error':
        calls.get(message.id)?.resolve({ ok: false, error: message.error });
        calls.delete(message.id);
        break;
      case 'item': {
        const open = streams.get(message.id);
        if (!open) break;
        let processed: void | Promise<void>;
        try {
          processed = open.observer.next(message.value);
        } catch {
          processed = undefined; // an observer's bug must not stall the stream
        }
        if (processed && typeof processed.then === 'function') {
          processed.then(
            () => acknowledge(message.id),
            () => acknowledge(message.id),
          );
        } else acknowledge(message.id);
        break;
      }
      case 'end': {
        const open = streams.get(message.id);
        streams.delete(message.id);
        if (!open) break;
        if (message.error) open.observer.error?.(message.error);
        else open.observer.complete?.();
        break;
      }
    }
  });

  const send = (message: ClientMessage): boolean => {
    try {
      carrier.send(message);
      return true;
    } catch {
      return false;
    }
  };

  const client: Record<string, Record<string, unknown>> = {};
  for (const [namespace, members] of Object.entries(berthContract)) {
    const target: Record<string, unknown> = (client[namespace] = {});
    for (const [name, definition] of Object.entries(members as Record<string, MethodDefinition | StreamDefinition>)) {
      const wireName = `${namespace}.${name}`;
      if (definition.kind === 'method') {
        target[name] = (args: unknown) =>
          new Promise<MethodOutcome<unknown>>((resolve) => {
            const id = nextId++;
            calls.set(id, { resolve });
            if (!send({ t: 'call', id, method: wireName, args })) {
              calls.delete(id);
              resolve({ ok: false, error: DISCONNECTED });
            }
          });
      } else {
        target[name] = (args: unknown, observer: StreamObserver<unknown>): Subscription => {
          const id = nextId++;
          streams.set(id, { observer, unacked: 0 });
          if (!send({ t: 'subscribe', id, stream: wireName, args })) {
            streams.delete(id);
            queueMicrotask(() => observer.error?.(DISCONNECTED));
          }
          return {
            dispose() {
              if (streams.delete(id)) send({ t: 'unsubscribe', id });
            },
          };
        };
      }
    }
  }

  return Object.assign(client as RawBerthClient, {
    /** Fails everything in flight: the carrier is gone. */
    close() {
      stopListening();
      for (const call of calls.values()) call.resolve({ ok: false, error: DISCONNECTED });
      calls.clear();
      for (const open of streams.values()) open.observer.error?.(DISCONNECTED);
      streams.clear();
    },
  });
}

export function unwrapClient(raw: RawBerthClient): BerthClient {
  const client: Record<string, Record<string, unknown>> = {};
  for (const [namespace, members] of Object.entries(berthContract)) {
    const source = (raw as unknown as Record<string, Record<string, (...args: unknown[]) => unknown>>)[namespace]!;
    const target: Record<string, unknown> = (client[namespace] = {});
    for (const [name, definition] of Object.entries(members as Record<string, MethodDefinition | StreamDefinition>)) {
      const call = source[name]!;
      target[name] =
        definition.kind === 'method'
          ? async (args: unknown) => {
              const outcome = (await call(args)) as MethodOutcome<unknown>;
              if (outcome.ok) return outcome.value;
              throw BerthApiError.from(outcome.error);
            }
          : call;
    }
  }
  return client as BerthClient;
}
