import { describe, expect, it, vi } from 'vitest';
import { EngineError } from '../../engine/core/errors.js';
import {
  createFakeImplementation,
  failingStream,
  untilAborted,
  type FakeImplementationParts,
} from '../backend/testing/fake-implementation.js';
import { createInMemoryLink, settle } from '../backend/testing/in-memory-link.js';
import type { ContainerSummary } from '../../engine/core/engine-types.js';
import { createRawClient, unwrapClient } from './client.js';
import { berthContract, type EngineEventItem } from './contract.js';
import { BerthApiError, isBerthApiError } from './errors.js';
import type { ApiErrorInfo } from './errors.js';
import type { ClientMessage, ServerMessage } from './wire.js';

const WEB: ContainerSummary = {
  id: 'a1b2c3d4e5f6',
  name: 'web',
  image: 'nginx',
  imageId: 'sha256:1',
  command: 'nginx',
  state: 'running',
  status: 'Up 1 second',
  ports: [],
  created: 1,
  composeProject: null,
  composeService: null,
};

const event = (n: number): EngineEventItem => ({
  kind: 'event',
  event: { type: 'container', action: 'start', id: `c${n}`, name: null, timeNano: n },
});

function link(parts: FakeImplementationParts) {
  return createInMemoryLink(createFakeImplementation(parts));
}

async function rejection(promise: Promise<unknown>): Promise<BerthApiError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (reason: unknown) => reason,
  );
  expect(isBerthApiError(error)).toBe(true);
  return error as BerthApiError;
}

describe('client methods', () => {
  it("returns the implementation's value", async () => {
    const { client } = link({ containers: { list: async () => [WEB] } });
    await expect(client.containers.list({})).resolves.toEqual([WEB]);
  });

  it('rejects invalid arguments with invalid-request naming the field', async () => {
    const start = vi.fn(async () => null);
    const { client } = link({ containers: { start } });
    const error = await rejection(client.containers.start({ id: 7 as unknown as string }));
    expect(error.code).toBe('invalid-request');
    expect(error.message).toMatch(/^id: /);
    expect(start).not.toHaveBeenCalled();
  });

  it('rejects unknown fields with invalid-request naming them', async () => {
    const { client } = link({ volumes: { create: vi.fn() } });
    const error = await rejection(client.volumes.create({ name: 'data', driver: 'nfs' } as { name: string }));
    expect(error).toMatchObject({ code: 'invalid-request', message: expect.stringContaining('"driver"') as string });
  });

  it('brings an EngineError across as a BerthApiError with the same code and message', async () => {
    const { client } = link({
      containers: {
        remove: async ({ id }) => {
          throw new EngineError('not-found', `No such container: ${id}`);
        },
      },
    });
    const error = await rejection(client.containers.remove({ id: 'ghost', force: false }));
    expect(error).toBeInstanceOf(BerthApiError);
    expect(error.name).toBe('BerthApiError');
    expect(error.code).toBe('not-found');
    expect(error.message).toBe('No such container: ghost');
  });

  it('the raw client resolves outcomes instead of rejecting (what crosses contextBridge)', async () => {
    const { raw } = link({
      images: {
        list: async () => [],
        remove: async () => {
          throw new EngineError('in-use', 'Image x is used by container web.');
        },
      },
    });
    await expect(raw.images.list({})).resolves.toEqual({ ok: true, value: [] });
    await expect(raw.images.remove({ reference: 'x' })).resolves.toEqual({
      ok: false,
      error: { code: 'in-use', message: 'Image x is used by container web.' },
    });
  });

  it('a method the client cannot name gets unknown-method from the session', async () => {
    const { sendRaw, received } = link({});
    sendRaw({ t: 'call', id: 9_999, method: 'containers.format', args: {} });
    await settle();
    expect(received).toEqual([
      { t: 'error', id: 9_999, error: { code: 'unknown-method', message: 'There is no method named "containers.format".' } },
    ]);
  });

  it('a malformed message gets invalid-request and leaves the connection usable', async () => {
    const { sendRaw, received, client } = link({ volumes: { list: async () => [] } });
    sendRaw({ t: 'call', id: 'one', method: 'volumes.list' });
    sendRaw('garbage');
    await settle();
    expect(received).toHaveLength(2);
    for (const message of received) expect(message).toMatchObject({ t: 'error', id: -1, error: { code: 'invalid-request' } });
    await expect(client.volumes.list({})).resolves.toEqual([]);
  });

  it('answers concurrent calls each to its own caller', async () => {
    const { client } = link({
      volumes: {
        create: async ({ name }) => {
          await new Promise((resolve) => setTimeout(resolve, name === 'slow' ? 20 : 0));
          return { name, driver: 'local', mountpoint: `/v/${name}`, createdAt: null, labels: {} };
        },
      },
    });
    const [slow, fast] = await Promise.all([client.volumes.create({ name: 'slow' }), client.volumes.create({ name: 'fast' })]);
    expect(slow.name).toBe('slow');
    expect(fast.name).toBe('fast');
  });

  it('resolves pending calls with unreachable when closed, and when the carrier is gone', async () => {
    const { raw, breakCarrier } = link({ containers: { list: () => new Promise(() => undefined) } });
    const pending = raw.containers.list({});
    await settle();
    raw.close();
    await expect(pending).resolves.toEqual({
      ok: false,
      error: { code: 'unreachable', message: 'The connection to Berth was lost.' },
    });

    const other = link({});
    other.breakCarrier();
    await expect(other.raw.containers.list({})).resolves.toMatchObject({ ok: false, error: { code: 'unreachable' } });
    breakCarrier();
  });
});

describe('client streams', () => {
  it('delivers items in order and completes', async () => {
    const { client } = link({
      engine: {
        events: async function* () {
          for (let n = 1; n <= 5; n += 1) yield event(n);
        },
      },
    });
    const items: EngineEventItem[] = [];
    const complete = vi.fn();
    const error = vi.fn();
    client.engine.events({}, { next: (item) => void items.push(item), complete, error });
    await settle();
    expect(items).toEqual([1, 2, 3, 4, 5].map(event));
    expect(complete).toHaveBeenCalledTimes(1);
    expect(error).not.toHaveBeenCalled();
  });

  it('reports a failing source through observer.error with its code', async () => {
    const { client } = link({
      terminal: {
        attach: () => failingStream(new EngineError('not-running', 'Container web is not running.')),
      },
    });
    const errors: ApiErrorInfo[] = [];
    client.terminal.attach(
      { sessionId: '3b241101-e2bb-4255-8caf-4136c566a962' },
      { next: () => undefined, error: (e) => void errors.push(e) },
    );
    await settle();
    expect(errors).toEqual([{ code: 'not-running', message: 'Container web is not running.' }]);
  });

  it('flow control: a consumer that does not finish holds the producer at the window, and resuming lets it continue', async () => {
    const window = berthContract.engine.events.window;
    let pulled = 0;
    const { client, sent } = link({
      engine: {
        events: async function* () {
          for (let n = 0; n < 1_000; n += 1) {
            pulled += 1;
            yield event(n);
          }
        },
      },
    });
    const received: number[] = [];
    const holds: Array<() => void> = [];
    let autoResolve = false;
    const complete = vi.fn();
    client.engine.events(
      {},
      {
        next: (item) => {
          if (item.kind === 'event') received.push(item.event.timeNano);
          if (autoResolve) return Promise.resolve();
          return new Promise<void>((resolve) => holds.push(resolve));
        },
        complete,
      },
    );
    await settle();
    await settle();
    expect(window).toBe(256);
    expect(pulled).toBe(window);
    expect(received).toHaveLength(window);
    expect(sent.filter((message) => message.t === 'ack')).toEqual([]);

    // The consumer finishes 10 items: exactly 10 more are pulled from the source.
    for (const resolve of holds.splice(0, 10)) resolve();
    await settle();
    await settle();
    expect(sent.filter((message) => message.t === 'ack').reduce((sum, ack) => sum + (ack.t === 'ack' ? ack.count : 0), 0)).toBe(
      10,
    );
    expect(pulled).toBe(window + 10);
    expect(received).toHaveLength(window + 10);

    // The consumer catches up: the stream runs to its end.
    autoResolve = true;
    for (const resolve of holds.splice(0)) resolve();
    for (let turn = 0; turn < 100 && !complete.mock.calls.length; turn += 1) await settle();
    expect(complete).toHaveBeenCalledTimes(1);
    expect(pulled).toBe(1_000);
    expect(received).toEqual(Array.from({ length: 1_000 }, (_, n) => n));
  });

  it('coalesces the acks of a burst (items arriving in one tick) into one message', async () => {
    const sent: ClientMessage[] = [];
    let deliver: (message: ServerMessage) => void = () => undefined;
    const client = unwrapClient(
      createRawClient({
        send: (message) => void sent.push(message),
        onMessage: (listener) => {
          deliver = listener;
          return () => undefined;
        },
      }),
    );
    const next = vi.fn();
    client.engine.events({}, { next });
    const subscribe = sent[0]!;
    expect(subscribe).toMatchObject({ t: 'subscribe', stream: 'engine.events', args: {} });
    for (let n = 0; n < 200; n += 1) deliver({ t: 'item', id: subscribe.id, value: event(n) });
    expect(next).toHaveBeenCalledTimes(200);
    await settle();
    expect(sent.slice(1)).toEqual([{ t: 'ack', id: subscribe.id, count: 200 }]);
  });

  it('an observer that throws does not stall the stream', async () => {
    const { client } = link({
      engine: {
        events: async function* () {
          for (let n = 0; n < 300; n += 1) yield event(n);
        },
      },
    });
    let calls = 0;
    const complete = vi.fn();
    client.engine.events(
      {},
      {
        next: () => {
          calls += 1;
          throw new Error('a bug in the view');
        },
        complete,
      },
    );
    for (let turn = 0; turn < 100 && !complete.mock.calls.length; turn += 1) await settle();
    expect(calls).toBe(300);
    expect(complete).toHaveBeenCalled();
  });

  it('dispose unsubscribes: the source is aborted and nothing more arrives', async () => {
    let signal: AbortSignal | undefined;
    const { client, sent } = link({
      engine: {
        state: (_args, _peer, given) => {
          signal = given;
          return (async function* () {
            yield { kind: 'idle' } as const;
            await new Promise((resolve) => given.addEventListener('abort', resolve));
          })();
        },
      },
    });
    const next = vi.fn();
    const subscription = client.engine.state({}, { next });
    await settle();
    expect(next).toHaveBeenCalledWith({ kind: 'idle' });
    subscription.dispose();
    subscription.dispose();
    await settle();
    expect(signal?.aborted).toBe(true);
    expect(sent.filter((message) => message.t === 'unsubscribe')).toHaveLength(1);
  });

  it('close() errors open streams with unreachable', async () => {
    const { client, raw } = link({
      engine: {
        events: (_args, _peer, signal) => untilAborted(signal),
      },
    });
    const error = vi.fn();
    client.engine.events({}, { next: () => undefined, error });
    await settle();
    raw.close();
    expect(error).toHaveBeenCalledWith({ code: 'unreachable', message: 'The connection to Berth was lost.' });
  });
});
