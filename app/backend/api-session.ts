/**
 * One connected peer (a browser tab's WebSocket or an Electron window): validates every message and
 * every argument against the contract, dispatches to the implementation, and runs streams with
 * credit-based flow control so a slow renderer pauses the source instead of buffering without bound.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { DisposableStore } from '../../base/index.js';
import { EngineError } from '../../engine/core/index.js';
import { contractEntries, type MethodDefinition, type StreamDefinition } from '../contract/contract.js';
import type { ApiErrorInfo } from '../contract/errors.js';
import { ClientMessageSchema, type ServerMessage } from '../contract/wire.js';
import type { BerthImplementation, PeerContext } from './implementation.js';

export interface ApiLogger {
  call(peerId: string, name: string, args: unknown, outcome: 'ok' | ApiErrorInfo, ms: number): void;
}

type AnyMethod = (args: unknown, peer: PeerContext) => Promise<unknown>;
type AnyStream = (args: unknown, peer: PeerContext, signal: AbortSignal) => AsyncIterable<unknown>;

const ENTRIES = new Map(contractEntries());

export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join('.') : 'arguments';
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

export function toApiError(error: unknown): ApiErrorInfo {
  if (error instanceof EngineError) return { code: error.code, message: error.message };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

interface RunningStream {
  controller: AbortController;
  credit: number;
  wakeProducer?: () => void;
}

export class ApiSession {
  readonly peer: PeerContext = { peerId: randomUUID(), resources: new DisposableStore() };
  private readonly streams = new Map<number, RunningStream>();
  private disposed = false;

  constructor(
    private readonly implementation: BerthImplementation,
    private readonly send: (message: ServerMessage) => void,
    private readonly logger?: ApiLogger,
  ) {}

  /** Handles one raw message from the peer. Never throws: bad input becomes an error reply. */
  receive(raw: unknown): void {
    if (this.disposed) return;
    const parsed = ClientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
      this.send({
        t: 'error',
        id,
        error: { code: 'invalid-request', message: `Malformed message: ${describeZodError(parsed.error)}` },
      });
      return;
    }
    const message = parsed.data;
    switch (message.t) {
      case 'call':
        void this.call(message.id, message.method, message.args);
        break;
      case 'subscribe':
        void this.subscribe(message.id, message.stream, message.args);
        break;
      case 'unsubscribe':
        this.streams.get(message.id)?.controller.abort();
        break;
      case 'ack': {
        const running = this.streams.get(message.id);
        if (!running) break;
        running.credit += message.count;
        running.wakeProducer?.();
        break;
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const running of this.streams.values()) running.controller.abort();
    this.streams.clear();
    this.peer.resources.dispose();
  }

  private resolve(name: string, kind: 'method' | 'stream'): MethodDefinition | StreamDefinition | ApiErrorInfo {
    const definition = ENTRIES.get(name);
    if (!definition || definition.kind !== kind) {
      return { code: 'unknown-method', message: `There is no ${kind} named "${name}".` };
    }
    return definition;
  }

  private validate(
    definition: MethodDefinition | StreamDefinition,
    args: unknown,
  ): { ok: true; args: unknown } | { ok: false; error: ApiErrorInfo } {
    const result = definition.args.safeParse(args ?? {});
    if (result.success) return { ok: true, args: result.data };
    return { ok: false, error: { code: 'invalid-request', message: describeZodError(result.error) } };
  }

  private lookup<T>(name: string): T {
    const [namespace, member] = name.split('.') as [string, string];
    return (this.implementation as unknown as Record<string, Record<string, T>>)[namespace]![member]!;
  }

  private async call(id: number, name: string, rawArgs: unknown): Promise<void> {
    const started = performance.now();
    const definition = this.resolve(name, 'method');
    const validated = 'kind' in definition ? this.validate(definition, rawArgs) : { ok: false as const, error: definition };
    let reply: ServerMessage;
    if (!validated.ok) reply = { t: 'error', id, error: validated.error };
    else {
      try {
        const value = await this.lookup<AnyMethod>(name)(validated.args, this.peer);
        reply = { t: 'result', id, value: value ?? null };
      } catch (error) {
        reply = { t: 'error', id, error: toApiError(error) };
      }
    }
    this.logger?.call(this.peer.peerId, name, rawArgs, reply.t === 'error' ? reply.error : 'ok', performance.now() - started);
    if (!this.disposed) this.send(reply);
  }

  private async subscribe(id: number, name: string, rawArgs: unknown): Promise<void> {
    const definition = this.resolve(name, 'stream');
    const validated = 'kind' in definition ? this.validate(definition, rawArgs) : { ok: false as const, error: definition };
    if (!validated.ok) {
      this.send({ t: 'end', id, error: validated.error });
      return;
    }
    if (this.streams.has(id)) {
      this.send({ t: 'end', id, error: { code: 'invalid-request', message: `Stream id ${id} is already in use.` } });
      return;
    }
    const running: RunningStream = { controller: new AbortController(), credit: (definition as StreamDefinition).window };
    this.streams.set(id, running);
    const { signal } = running.controller;
    signal.addEventListener('abort', () => running.wakeProducer?.());
    let endError: ApiErrorInfo | undefined;
    try {
      const iterator = this.lookup<AnyStream>(name)(validated.args, this.peer, signal)[Symbol.asyncIterator]();
      try {
        while (!signal.aborted) {
          // Out of credit: wait for the consumer's acks before pulling more from the source.
          while (running.credit <= 0 && !signal.aborted) {
            await new Promise<void>((resolve) => (running.wakeProducer = resolve));
          }
          if (signal.aborted) break;
          const next = await iterator.next();
          if (next.done || signal.aborted) break;
          running.credit -= 1;
          this.send({ t: 'item', id, value: next.value });
        }
      } finally {
        await iterator.return?.();
      }
    } catch (error) {
      endError = toApiError(error);
    }
    this.streams.delete(id);
    // An unsubscribed stream needs no end message: the client already forgot it.
    if (!signal.aborted && !this.disposed) this.send(endError ? { t: 'end', id, error: endError } : { t: 'end', id });
  }
}
