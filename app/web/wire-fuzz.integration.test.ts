/**
 * Fuzzing browser mode's wire (issue 17): random sequences of raw WebSocket frames from a connection
 * that passed the door (invalid JSON and UTF-8, binary frames, wrong types, unknown methods, reused
 * and huge ids, negative and huge credit, reserved bits and opcodes, unmasked and oversized frames),
 * and the cases a hostile page would try on purpose (a thousand streams at once, frames after close).
 * After each, the connection has either answered a normal call or been closed by the server with a
 * close code, Berth lives on without its last-resort guard, and a new page is answered in time.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectRawClient, startBerthWebProcess, type BerthWebProcess } from './testing/berth-web-process.js';
import { encodeFrame, OPCODE, openRawWebSocket, textFrame, type RawWebSocket } from './testing/raw-websocket.js';

const dockerHost = inject('dockerHost');
const SEQUENCES = Number(process.env.BERTH_FUZZ_SEQUENCES ?? 300);
const SEED = Number(process.env.BERTH_FUZZ_SEED ?? 20261207);
/** The close codes a server may end a misbehaving connection with (RFC 6455 7.4.1). */
const CLOSE_CODES = [1002, 1003, 1007, 1008, 1009, 1011];
const NORMAL_CALL_GOAL_MS = 100;
const RSS_GROWTH_BOUND_MIB = 48;

const id = fc.oneof(fc.nat({ max: 1_000 }), fc.constantFrom(-1, 0.5, 2 ** 53, 2 ** 64, Number.MAX_SAFE_INTEGER, '7', null));
const knownName = fc.constantFrom(
  'containers.list',
  'engine.events',
  'engine.state',
  'terminal.list',
  'images.pull',
  'x',
  '',
  '__proto__',
);
const message = fc.oneof(
  fc.record(
    { t: fc.constantFrom('call', 'subscribe'), id, method: knownName, stream: knownName, args: fc.jsonValue({ maxDepth: 2 }) },
    { requiredKeys: ['t'] },
  ),
  fc.record({ t: fc.constant('ack'), id, count: fc.oneof(fc.integer(), fc.constantFrom(-5, 0, 1e12, 1.5, Infinity)) }),
  fc.record({ t: fc.constant('unsubscribe'), id }),
  fc.jsonValue({ maxDepth: 3 }),
);
const frame: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 5, arbitrary: message.map((value) => textFrame(JSON.stringify(value) ?? 'undefined')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map(textFrame) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((payload) => encodeFrame({ opcode: OPCODE.text, payload })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((payload) => encodeFrame({ opcode: OPCODE.binary, payload })) },
  {
    weight: 1,
    arbitrary: fc
      .record({
        opcode: fc.integer({ min: 0, max: 15 }),
        rsv: fc.integer({ min: 0, max: 7 }),
        fin: fc.boolean(),
        masked: fc.boolean(),
      })
      .map((header) => encodeFrame({ ...header, payload: Buffer.from('{"t":"call","id":1,"method":"terminal.list"}') })),
  },
  { weight: 1, arbitrary: fc.constant(encodeFrame({ opcode: OPCODE.ping, payload: Buffer.from('hi') })) },
);

describe('browser mode wire under random frames (a real Berth process)', () => {
  let berth: BerthWebProcess;
  let stateDir: string;

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'berth-wire-fuzz-'));
    berth = await startBerthWebProcess(dockerHost, { XDG_STATE_HOME: stateDir });
  });

  afterAll(async () => {
    await berth?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  function stillWell(): void {
    expect(berth.exitReport()).toBeNull();
    expect(berth.lastResortLines()).toEqual([]);
  }

  /** A normal call on a fresh page's connection, timed. */
  async function normalCallMs(): Promise<number> {
    const client = await connectRawClient(berth);
    const started = performance.now();
    const reply = await client.call('terminal.list', {});
    const ms = performance.now() - started;
    client.close();
    expect(reply.t).toBe('result');
    return ms;
  }

  /** Answered, or closed by the server with a code that says why. */
  async function answeredOrClosedWithReason(socket: RawWebSocket): Promise<void> {
    socket.write(textFrame(JSON.stringify({ t: 'call', id: 999_999, method: 'terminal.list', args: {} })));
    const reply = (await socket.replyTo(999_999, 5_000)) as { t?: string } | null;
    if (reply?.t === 'result') return;
    const code = socket.closeCode();
    expect(code === null ? 'no reply and no close code' : code, `frames: ${socket.frames.length}`).toSatisfy(
      (value) => typeof value === 'number' && CLOSE_CODES.includes(value),
    );
  }

  it(`lives through ${SEQUENCES} random frame sequences`, async () => {
    const rssBefore = berth.rssMiB();
    const slowest: number[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 20 }), async (frames) => {
        const socket = await openRawWebSocket(berth.port, berth.token);
        try {
          for (const bytes of frames) socket.write(bytes);
          await answeredOrClosedWithReason(socket);
        } finally {
          socket.destroy();
        }
        stillWell();
        slowest.push(await normalCallMs());
      }),
      { numRuns: SEQUENCES, seed: SEED, endOnFailure: true },
    );
    slowest.sort((a, b) => a - b);
    const p99 = slowest[Math.floor(slowest.length * 0.99)]!;
    const rssGrowth = berth.rssMiB() - rssBefore;
    console.log(
      `wire fuzz: ${SEQUENCES} sequences; a new page's call p99 ${p99.toFixed(1)} ms; RSS +${rssGrowth.toFixed(1)} MiB`,
    );
    expect(p99).toBeLessThan(NORMAL_CALL_GOAL_MS);
    expect(rssGrowth).toBeLessThan(RSS_GROWTH_BOUND_MIB);
  }, 600_000);

  it('refuses a frame over the size bound by closing with 1009, and serves the next page', async () => {
    const socket = await openRawWebSocket(berth.port, berth.token);
    socket.write(
      textFrame(JSON.stringify({ t: 'call', id: 1, method: 'terminal.list', args: { pad: 'x'.repeat(2 * 1024 * 1024) } })),
    );
    await socket.ended;
    expect(socket.closeCode()).toBe(1009);
    stillWell();
    expect(await normalCallMs()).toBeLessThan(NORMAL_CALL_GOAL_MS * 5);
  });

  it('opens the streams one connection may hold out of a thousand asked at once, refusing the rest by name', async () => {
    const socket = await openRawWebSocket(berth.port, berth.token);
    for (let stream = 1; stream <= 1_000; stream += 1) {
      socket.write(textFrame(JSON.stringify({ t: 'subscribe', id: stream, stream: 'engine.events', args: {} })));
    }
    const last = (await socket.replyTo(1_000, 10_000, 'end')) as { t: string; error?: { code: string; message: string } } | null;
    expect(last?.t).toBe('end');
    expect(last?.error?.code).toBe('limit-reached');
    expect(last?.error?.message).toMatch(/Too many streams open on this connection \(\d+\)/);
    await answeredOrClosedWithReason(socket);
    socket.destroy();
    stillWell();
  });

  it('ignores frames after a close, a reused stream id and credit beyond the window', async () => {
    const socket = await openRawWebSocket(berth.port, berth.token);
    const subscribe = textFrame(JSON.stringify({ t: 'subscribe', id: 5, stream: 'engine.state', args: {} }));
    socket.write(subscribe);
    socket.write(subscribe);
    const reused = (await socket.replyTo(5, 5_000, 'end')) as { error?: { message: string } } | null;
    expect(reused?.error?.message).toBe('Stream id 5 is already in use.');
    socket.write(textFrame(JSON.stringify({ t: 'ack', id: 5, count: 1_000_000 })));
    await answeredOrClosedWithReason(socket);
    socket.write(encodeFrame({ opcode: OPCODE.close, payload: Buffer.from([0x03, 0xe8]) }));
    for (let i = 0; i < 50; i += 1)
      socket.write(textFrame(JSON.stringify({ t: 'call', id: 2_000 + i, method: 'containers.list' })));
    await socket.ended;
    expect(await socket.replyTo(2_049, 100)).toBeNull();
    stillWell();
    expect(await normalCallMs()).toBeLessThan(NORMAL_CALL_GOAL_MS * 5);
  });
});
