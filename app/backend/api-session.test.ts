import { describe, expect, it, vi } from 'vitest';
import { toDisposable } from '../../base/index.js';
import { EngineError } from '../../engine/core/index.js';
import type { EngineEventItem } from '../contract/contract.js';
import type { ServerMessage } from '../contract/wire.js';
import { ApiSession, describeZodError, toApiError, type ApiLogger } from './api-session.js';
import type { BerthImplementation } from './implementation.js';
import {
  createFakeImplementation,
  failingStream,
  untilAborted,
  type FakeImplementationParts,
} from './testing/fake-implementation.js';
import { settle } from './testing/in-memory-link.js';

function sessionOver(parts: FakeImplementationParts, logger?: ApiLogger) {
  const sent: ServerMessage[] = [];
  const implementation: BerthImplementation = createFakeImplementation(parts);
  const session = new ApiSession(implementation, (message) => sent.push(message), { logger });
  return { session, sent };
}

const event = (n: number): EngineEventItem => ({
  kind: 'event',
  event: { type: 'container', action: 'start', id: `c${n}`, name: null, timeNano: n },
});

describe('ApiSession: messages', () => {
  it.each([
    ['not an object', 'hello', -1],
    ['null', null, -1],
    ['an unknown message type', { t: 'launch', id: 4 }, -1],
    ['a call with an extra field', { t: 'call', id: 5, method: 'containers.list', args: {}, admin: true }, 5],
    ['a negative id', { t: 'call', id: -3, method: 'containers.list', args: {} }, -1],
    ['an id that is not a number', { t: 'call', id: '7', method: 'containers.list', args: {} }, -1],
    // An ack names a stream: an error with its id would read as the failure of a call with that id.
    ['an ack of zero items', { t: 'ack', id: 1, count: 0 }, -1],
    ['an unsubscribe with a text id', { t: 'unsubscribe', id: 'x' }, -1],
  ])('answers %s with invalid-request, never throwing', (_what, raw, id) => {
    const { session, sent } = sessionOver({});
    expect(() => session.receive(raw)).not.toThrow();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ t: 'error', id, error: { code: 'invalid-request' } });
    expect((sent[0] as Extract<ServerMessage, { t: 'error' }>).error.message).toMatch(/^Malformed message: /);
  });
});

describe('ApiSession: calls', () => {
  it('validates arguments before the implementation sees them, naming the field', async () => {
    const start = vi.fn(async () => null);
    const { session, sent } = sessionOver({ containers: { start } });
    session.receive({ t: 'call', id: 1, method: 'containers.start', args: { id: 42 } });
    await settle();
    expect(start).not.toHaveBeenCalled();
    expect(sent).toEqual([
      { t: 'error', id: 1, error: { code: 'invalid-request', message: expect.stringMatching(/^id: /) as string } },
    ]);
  });

  it('refuses unknown fields, naming them', async () => {
    const { session, sent } = sessionOver({ containers: { list: async () => [] } });
    session.receive({ t: 'call', id: 2, method: 'containers.list', args: { all: true } });
    await settle();
    expect(sent).toEqual([
      { t: 'error', id: 2, error: { code: 'invalid-request', message: expect.stringContaining('"all"') as string } },
    ]);
  });

  it('passes the parsed arguments and the peer to the implementation, and answers with its value', async () => {
    const remove = vi.fn(async () => null);
    const { session, sent } = sessionOver({ containers: { remove } });
    session.receive({ t: 'call', id: 3, method: 'containers.remove', args: { id: 'web', force: true } });
    await settle();
    expect(remove).toHaveBeenCalledWith({ id: 'web', force: true }, session.peer);
    expect(sent).toEqual([{ t: 'result', id: 3, value: null }]);
  });

  it('treats undefined arguments as {} (methods without arguments, over structured clone)', async () => {
    const { session, sent } = sessionOver({ volumes: { list: async () => [] } });
    session.receive({ t: 'call', id: 4, method: 'volumes.list', args: undefined });
    await settle();
    expect(sent).toEqual([{ t: 'result', id: 4, value: [] }]);
  });

  it('treats a missing args key as {} (JSON drops undefined)', async () => {
    const { session, sent } = sessionOver({ volumes: { list: async () => [] } });
    session.receive(JSON.parse(JSON.stringify({ t: 'call', id: 6, method: 'volumes.list', args: undefined })));
    await settle();
    expect(sent).toEqual([{ t: 'result', id: 6, value: [] }]);
  });

  it.each(['containers.explode', 'engine.events', 'constructor', '__proto__.x', ''])(
    'answers the unknown method %j with unknown-method',
    async (method) => {
      const { session, sent } = sessionOver({});
      session.receive({ t: 'call', id: 5, method, args: {} });
      await settle();
      expect(sent).toEqual([
        { t: 'error', id: 5, error: { code: 'unknown-method', message: `There is no method named "${method}".` } },
      ]);
    },
  );

  it("passes an EngineError's code and message on", async () => {
    const { session, sent } = sessionOver({
      containers: {
        stop: async () => {
          throw new EngineError('not-found', 'No such container: web');
        },
      },
    });
    session.receive({ t: 'call', id: 6, method: 'containers.stop', args: { id: 'web' } });
    await settle();
    expect(sent).toEqual([{ t: 'error', id: 6, error: { code: 'not-found', message: 'No such container: web' } }]);
  });

  it('reports any other failure as internal', async () => {
    const { session, sent } = sessionOver({
      images: {
        list: async () => {
          throw new TypeError('cannot read x of undefined');
        },
      },
    });
    session.receive({ t: 'call', id: 7, method: 'images.list', args: {} });
    await settle();
    expect(sent).toEqual([{ t: 'error', id: 7, error: { code: 'internal', message: 'cannot read x of undefined' } }]);
  });

  it('logs each call with its outcome', async () => {
    const logger = { call: vi.fn(), refusal: vi.fn() };
    const { session } = sessionOver({ volumes: { list: async () => [] } }, logger);
    session.receive({ t: 'call', id: 8, method: 'volumes.list', args: {} });
    session.receive({ t: 'call', id: 9, method: 'volumes.remove', args: { name: '-' } });
    await settle();
    expect(logger.call).toHaveBeenCalledWith(session.peer.peerId, 'volumes.list', {}, 'ok', expect.any(Number));
    expect(logger.call).toHaveBeenCalledWith(
      session.peer.peerId,
      'volumes.remove',
      { name: '-' },
      expect.objectContaining({ code: 'invalid-request' }),
      expect.any(Number),
    );
  });

  it('sends nothing once disposed, and releases what the peer held', async () => {
    let finish: (value: never[]) => void = () => undefined;
    const released = vi.fn();
    const { session, sent } = sessionOver({ containers: { list: () => new Promise((resolve) => (finish = resolve)) } });
    session.peer.resources.add(toDisposable(released));
    session.receive({ t: 'call', id: 10, method: 'containers.list', args: {} });
    session.dispose();
    finish([]);
    await settle();
    session.receive({ t: 'call', id: 11, method: 'containers.list', args: {} });
    await settle();
    expect(sent).toEqual([]);
    expect(released).toHaveBeenCalledTimes(1);
  });
});

describe('ApiSession: streams', () => {
  it('delivers items and then an end', async () => {
    const { session, sent } = sessionOver({
      engine: {
        events: async function* () {
          yield event(1);
          yield event(2);
        },
      },
    });
    session.receive({ t: 'subscribe', id: 1, stream: 'engine.events', args: {} });
    await settle();
    expect(sent).toEqual([
      { t: 'item', id: 1, value: event(1) },
      { t: 'item', id: 1, value: event(2) },
      { t: 'end', id: 1 },
    ]);
  });

  it('ends with the error code when the source fails', async () => {
    const { session, sent } = sessionOver({
      terminal: {
        attach: () => failingStream(new EngineError('no-shell', 'Container x has no shell to open.')),
      },
    });
    session.receive({
      t: 'subscribe',
      id: 2,
      stream: 'terminal.attach',
      args: { sessionId: '3b241101-e2bb-4255-8caf-4136c566a962' },
    });
    await settle();
    expect(sent).toEqual([{ t: 'end', id: 2, error: { code: 'no-shell', message: 'Container x has no shell to open.' } }]);
  });

  it('refuses invalid stream arguments and unknown streams', async () => {
    const { session, sent } = sessionOver({});
    session.receive({ t: 'subscribe', id: 3, stream: 'terminal.attach', args: { sessionId: 'x' } });
    session.receive({ t: 'subscribe', id: 4, stream: 'containers.list', args: {} });
    await settle();
    expect(sent).toContainEqual({
      t: 'end',
      id: 3,
      error: { code: 'invalid-request', message: expect.stringMatching(/^sessionId: /) as string },
    });
    expect(sent).toContainEqual({
      t: 'end',
      id: 4,
      error: { code: 'unknown-method', message: 'There is no stream named "containers.list".' },
    });
  });

  it('refuses a second stream with an id in use', async () => {
    const { session, sent } = sessionOver({
      engine: {
        events: (_args, _peer, signal) => untilAborted(signal),
      },
    });
    session.receive({ t: 'subscribe', id: 5, stream: 'engine.events', args: {} });
    session.receive({ t: 'subscribe', id: 5, stream: 'engine.events', args: {} });
    await settle();
    expect(sent).toEqual([{ t: 'end', id: 5, error: { code: 'invalid-request', message: 'Stream id 5 is already in use.' } }]);
    session.dispose();
  });

  it('unsubscribe aborts the source and closes its iterator, with no end message', async () => {
    let signal: AbortSignal | undefined;
    let closed = false;
    const { session, sent } = sessionOver({
      engine: {
        events: (_args, _peer, given) => {
          signal = given;
          return (async function* () {
            try {
              for (let n = 0; ; n += 1) {
                yield event(n);
                await new Promise((resolve) => setImmediate(resolve));
              }
            } finally {
              closed = true;
            }
          })();
        },
      },
    });
    session.receive({ t: 'subscribe', id: 6, stream: 'engine.events', args: {} });
    await settle();
    expect(sent.length).toBeGreaterThan(0);
    session.receive({ t: 'unsubscribe', id: 6 });
    expect(signal?.aborted).toBe(true);
    await settle();
    await settle();
    const count = sent.length;
    await settle();
    expect(sent.length).toBe(count);
    expect(closed).toBe(true);
    expect(sent.every((message) => message.t === 'item')).toBe(true);
  });

  it('dispose aborts every running stream', async () => {
    const signals: AbortSignal[] = [];
    const { session } = sessionOver({
      engine: {
        state: (_args, _peer, signal) => {
          signals.push(signal);
          return untilAborted(signal);
        },
      },
    });
    session.receive({ t: 'subscribe', id: 7, stream: 'engine.state', args: {} });
    session.receive({ t: 'subscribe', id: 8, stream: 'engine.state', args: {} });
    await settle();
    session.dispose();
    expect(signals).toHaveLength(2);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
  });
});

describe('helpers', () => {
  it('toApiError keeps EngineError codes and hides nothing else', () => {
    expect(toApiError(new EngineError('in-use', 'busy'))).toEqual({ code: 'in-use', message: 'busy' });
    expect(toApiError(new Error('boom'))).toEqual({ code: 'internal', message: 'boom' });
    expect(toApiError('text')).toEqual({ code: 'internal', message: 'text' });
  });

  it('describeZodError names each path, or "arguments" for the object itself', async () => {
    const { z } = await import('zod');
    const result = z
      .object({ a: z.object({ b: z.number() }) })
      .strict()
      .safeParse({ a: { b: 'x' }, c: 1 });
    expect(result.success).toBe(false);
    const text = describeZodError(result.error!);
    expect(text).toContain('a.b: ');
    expect(text).toContain('arguments: ');
  });
});

describe('ApiSession: bounds on what a peer can make it hold', () => {
  it('ends a malformed subscribe as a stream, so the subscriber does not wait for ever', () => {
    const { session, sent } = sessionOver({});
    session.receive({ t: 'subscribe', id: 3, stream: 'engine.events', args: {}, extra: 1 });
    expect(sent).toEqual([
      { t: 'end', id: 3, error: { code: 'invalid-request', message: expect.stringMatching(/^Malformed message: /) as string } },
    ]);
  });

  it('cuts a huge unknown key in the reply and the log, whole neither', async () => {
    const refusal = vi.fn();
    const { session, sent } = sessionOver({ volumes: { list: async () => [] } }, { call: vi.fn(), refusal });
    const key = 'k'.repeat(900_000);
    session.receive({ t: 'call', id: 1, method: 'volumes.list', args: { [key]: 1 } });
    session.receive({ t: 'call', id: 2, [key]: 1 });
    await settle();
    expect(sent).toHaveLength(2);
    for (const message of sent) {
      const { error } = message as Extract<ServerMessage, { t: 'error' }>;
      expect(error.code).toBe('invalid-request');
      expect(error.message.length).toBeLessThan(1_100);
      expect(error.message).toContain('kkkk');
    }
    expect(refusal).toHaveBeenCalledTimes(1);
    expect((refusal.mock.calls[0]![1] as string).length).toBeLessThan(1_100);
  });

  it('cuts a long error message from the implementation', async () => {
    const { session, sent } = sessionOver({
      images: {
        list: async () => {
          throw new EngineError('engine-error', 'x'.repeat(50_000));
        },
      },
    });
    session.receive({ t: 'call', id: 1, method: 'images.list', args: {} });
    await settle();
    const { error } = sent[0] as Extract<ServerMessage, { t: 'error' }>;
    expect(error.message.length).toBeLessThan(1_100);
    expect(error.message).toMatch(/… \(49000 more characters\)$/);
  });

  it('answers calls past the in-flight bound with limit-reached, and takes calls again once answers went out', async () => {
    const waiting: Array<() => void> = [];
    const refusal = vi.fn();
    const sent: ServerMessage[] = [];
    const session = new ApiSession(
      createFakeImplementation({ containers: { list: () => new Promise((resolve) => waiting.push(() => resolve([]))) } }),
      (message) => sent.push(message),
      { logger: { call: vi.fn(), refusal }, limits: { callsInFlight: 2, streams: 8 } },
    );
    for (const id of [1, 2, 3]) session.receive({ t: 'call', id, method: 'containers.list', args: {} });
    await settle();
    expect(sent).toEqual([
      { t: 'error', id: 3, error: { code: 'limit-reached', message: expect.stringContaining('2 are waiting') as string } },
    ]);
    expect(refusal).toHaveBeenCalledTimes(1);
    for (const finish of waiting.splice(0)) finish();
    await settle();
    session.receive({ t: 'call', id: 4, method: 'containers.list', args: {} });
    await settle();
    expect(waiting).toHaveLength(1);
  });

  it('refuses streams past the bound with an end that says why', async () => {
    const { session, sent } = (() => {
      const out: ServerMessage[] = [];
      const created = new ApiSession(
        createFakeImplementation({ engine: { events: (_args, _peer, signal) => untilAborted(signal) } }),
        (message) => out.push(message),
        { limits: { callsInFlight: 8, streams: 2 } },
      );
      return { session: created, sent: out };
    })();
    for (const id of [1, 2, 3]) session.receive({ t: 'subscribe', id, stream: 'engine.events', args: {} });
    await settle();
    expect(sent).toEqual([
      { t: 'end', id: 3, error: { code: 'limit-reached', message: expect.stringContaining('Too many streams') as string } },
    ]);
    session.receive({ t: 'unsubscribe', id: 1 });
    await settle();
    session.receive({ t: 'subscribe', id: 4, stream: 'engine.events', args: {} });
    await settle();
    expect(sent).toHaveLength(1);
    session.dispose();
  });

  it('never lets acks raise credit above the window', async () => {
    let pulled = 0;
    const { session, sent } = sessionOver({
      engine: {
        events: async function* () {
          for (;;) {
            pulled += 1;
            yield event(pulled);
          }
        },
      },
    });
    session.receive({ t: 'subscribe', id: 1, stream: 'engine.events', args: {} });
    await settle();
    expect(sent).toHaveLength(256); // the window of engine.events
    session.receive({ t: 'ack', id: 1, count: 1_000_000 });
    await settle();
    // One window more, not a million items.
    expect(sent).toHaveLength(512);
    session.dispose();
  });

  it('pulls no stream items while the transport is congested, and resumes on drain', async () => {
    let drain: () => void = () => undefined;
    const gate = {
      congested: true,
      onDrain(listener: () => void) {
        drain = listener;
        return () => undefined;
      },
    };
    const sent: ServerMessage[] = [];
    const session = new ApiSession(
      createFakeImplementation({
        engine: {
          events: async function* () {
            for (let n = 0; n < 3; n += 1) yield event(n);
          },
        },
      }),
      (message) => sent.push(message),
      { outbound: gate },
    );
    session.receive({ t: 'subscribe', id: 1, stream: 'engine.events', args: {} });
    await settle();
    expect(sent).toEqual([]);
    gate.congested = false;
    drain();
    await settle();
    expect(sent.map((message) => message.t)).toEqual(['item', 'item', 'item', 'end']);
  });
});
