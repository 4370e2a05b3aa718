/**
 * One connected peer (a browser tab's WebSocket or an Electron window): validates every message and
 * every argument against the contract, dispatches to the implementation, and runs streams with
 * credit-based flow control so a slow renderer pauses the source instead of buffering without bound.
 * The peer is not trusted: its credit never exceeds a stream's window, its calls and streams are
 * bounded (session-bounds.ts), and nothing it sends is echoed back or logged uncut.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { DisposableStore } from '../../base/index.js';
import { EngineError } from '../../engine/core/index.js';
import { contractEntries, type MethodDefinition, type StreamDefinition } from '../contract/contract.js';
import { isBerthApiError, type ApiErrorInfo } from '../contract/errors.js';
import { ClientMessageSchema, type ServerMessage } from '../contract/wire.js';
import type { BerthImplementation, PeerContext } from './implementation.js';
import { plainIssueText } from './zod-issue-text.js';
import {
  boundedText,
  DEFAULT_SESSION_LIMITS,
  MAX_ERROR_CHARS,
  MAX_QUOTED_NAME_CHARS,
  type OutboundGate,
  type SessionLimits,
} from './session-bounds.js';

export interface ApiLogger {
  call(peerId: string, name: string, args: unknown, outcome: 'ok' | ApiErrorInfo, ms: number): void;
  /** Something the peer did that Berth refused or cut short (a bound reached, a malformed message). */
  refusal(peerId: string, what: string): void;
}

export interface ApiSessionOptions {
  logger?: ApiLogger;
  limits?: SessionLimits;
  /** The transport's outgoing buffer; without one (Electron IPC), credit alone bounds what is in flight. */
  outbound?: OutboundGate;
}

type AnyMethod = (args: unknown, peer: PeerContext) => Promise<unknown>;
type AnyStream = (args: unknown, peer: PeerContext, signal: AbortSignal) => AsyncIterable<unknown>;

const ENTRIES = new Map(contractEntries());

/** Zod quotes unknown keys whole; a peer can send a key of a megabyte, so every name is cut. */
const quoted = (name: string) => boundedText(name, MAX_QUOTED_NAME_CHARS);

/**
 * One sentence per argument at fault, the first rule it breaks (a name that is too short and also
 * starts wrong needs one fix at a time), each ending in a full stop.
 */
export function describeZodError(error: z.ZodError): string {
  const seen = new Set<string>();
  const firstPerPath = error.issues.filter((issue) => {
    const key = JSON.stringify(issue.path.map(String));
    if (seen.has(key) && issue.code !== 'unrecognized_keys') return false;
    seen.add(key);
    return true;
  });
  const text = firstPerPath
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.map((part) => quoted(String(part))).join('.') : 'arguments';
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const message =
        keys.length > 0
          ? `Unknown key${keys.length > 1 ? 's' : ''} ${keys.map((key) => `"${quoted(key)}"`).join(', ')}: not an argument of this method; leave ${keys.length > 1 ? 'them' : 'it'} out.`
          : plainIssueText(issue);
      return `${path}: ${/[.?!]$/.test(message) ? message : `${message}.`}`;
    })
    .join(' ');
  return boundedText(text, MAX_ERROR_CHARS);
}

export function toApiError(error: unknown): ApiErrorInfo {
  if (error instanceof EngineError || isBerthApiError(error)) {
    return { code: error.code, message: boundedText(error.message, MAX_ERROR_CHARS) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: boundedText(message, MAX_ERROR_CHARS) };
}

/** The id a malformed message may be answered on: only a call's (the peer waits on it), else none (-1). */
function replyIdOf(raw: unknown): { id: number; t: 'call' | 'subscribe' | 'other' } {
  if (typeof raw !== 'object' || raw === null) return { id: -1, t: 'other' };
  const { t, id } = raw as { t?: unknown; id?: unknown };
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return { id: -1, t: 'other' };
  if (t === 'call' || t === 'subscribe') return { id, t };
  // An ack or unsubscribe names a stream: an error with its id would read as a failed call of that id.
  return { id: -1, t: 'other' };
}

interface RunningStream {
  controller: AbortController;
  credit: number;
  readonly window: number;
  wakeProducer?: () => void;
}

export class ApiSession {
  readonly peer: PeerContext = { peerId: randomUUID(), resources: new DisposableStore() };
  private readonly streams = new Map<number, RunningStream>();
  private readonly logger?: ApiLogger;
  private readonly limits: SessionLimits;
  private readonly outbound?: OutboundGate;
  private callsInFlight = 0;
  private disposed = false;

  constructor(
    private readonly implementation: BerthImplementation,
    private readonly send: (message: ServerMessage) => void,
    options: ApiSessionOptions = {},
  ) {
    this.logger = options.logger;
    this.limits = options.limits ?? DEFAULT_SESSION_LIMITS;
    this.outbound = options.outbound;
    if (this.outbound) {
      const stopWatching = this.outbound.onDrain(() => {
        for (const running of this.streams.values()) running.wakeProducer?.();
      });
      this.peer.resources.add({ dispose: stopWatching });
    }
  }

  /** Handles one raw message from the peer. Never throws: bad input becomes an error reply. */
  receive(raw: unknown): void {
    if (this.disposed) return;
    const parsed = ClientMessageSchema.safeParse(raw);
    if (!parsed.success) return this.refuseMalformed(raw, describeZodError(parsed.error));
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
        // Credit never exceeds the window: extra acks cannot make the server send (and hold) more.
        running.credit = Math.min(running.window, running.credit + message.count);
        running.wakeProducer?.();
        break;
      }
    }
  }

  /** A message that did not parse (JSON or shape), from the transport or from receive(). */
  refuseMalformed(raw: unknown, reason: string): void {
    if (this.disposed) return;
    const error: ApiErrorInfo = {
      code: 'invalid-request',
      message: boundedText(`Malformed message: ${reason}`, MAX_ERROR_CHARS),
    };
    const { id, t } = replyIdOf(raw);
    this.logger?.refusal(this.peer.peerId, error.message);
    // A malformed subscribe ends its stream, so the peer's subscription does not wait for ever.
    this.send(t === 'subscribe' ? { t: 'end', id, error } : { t: 'error', id, error });
  }

  dispose(): void {
    this.disposed = true;
    for (const running of this.streams.values()) running.controller.abort();
    this.streams.clear();
    this.peer.resources.dispose();
  }

  private limitReached(message: string): ApiErrorInfo {
    this.logger?.refusal(this.peer.peerId, message);
    return { code: 'limit-reached', message };
  }

  private resolve(name: string, kind: 'method' | 'stream'): MethodDefinition | StreamDefinition | ApiErrorInfo {
    const definition = ENTRIES.get(name);
    if (!definition || definition.kind !== kind) {
      return { code: 'unknown-method', message: `There is no ${kind} named "${quoted(name)}".` };
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
    if (this.callsInFlight >= this.limits.callsInFlight) {
      const error = this.limitReached(
        `Too many calls at once on this connection (${this.limits.callsInFlight} are waiting for answers); ${quoted(name)} was not run.`,
      );
      return this.send({ t: 'error', id, error });
    }
    this.callsInFlight += 1;
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
    this.callsInFlight -= 1;
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
    if (this.streams.size >= this.limits.streams) {
      const error = this.limitReached(
        `Too many streams open on this connection (${this.limits.streams}); close some views or terminals, or reload the page.`,
      );
      return this.send({ t: 'end', id, error });
    }
    const { window } = definition as StreamDefinition;
    const running: RunningStream = { controller: new AbortController(), credit: window, window };
    this.streams.set(id, running);
    const { signal } = running.controller;
    signal.addEventListener('abort', () => running.wakeProducer?.());
    let endError: ApiErrorInfo | undefined;
    try {
      const iterator = this.lookup<AnyStream>(name)(validated.args, this.peer, signal)[Symbol.asyncIterator]();
      try {
        while (!signal.aborted) {
          // Out of credit, or the transport's buffer is full: wait for acks or a drain before pulling more.
          while ((running.credit <= 0 || this.outbound?.congested) && !signal.aborted) {
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
