/**
 * Browser mode against what a hostile page or a broken client does, on a real Berth process over the
 * real engine: refused upgrades reset mid-way, a client that stops reading, a client that floods
 * acks, thousands of uploads, a megabyte key name. The process must live through all of it, answer
 * a normal call afterwards, hold its memory and its log within the bounds stated here, and never
 * need its last-resort guard (a line from it is a path that slipped through).
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { removeContainers } from '../../engine/testing/engine-fixture.js';
import { uniqueName } from '../../engine/testing/names.js';
import { BUSYBOX_IMAGE, dockerCli } from '../../engine/testing/test-images.js';
import { waitFor } from '../../engine/testing/wait-for.js';
import type { ServerMessage } from '../contract/wire.js';
import { findSecrets } from '../../tools/log-secrets.js';
import { connectRawClient, startBerthWebProcess, type BerthWebProcess } from './testing/berth-web-process.js';
import { WEBSOCKET_PATH } from './web-server.js';

const dockerHost = inject('dockerHost');

/** What the server may grow by while 20 streams of a big log go to a client that does not read them. */
const STALLED_READER_RSS_BOUND_MIB = 24;
/** What the server's log may grow by over 2,000 refused uploads and a 900 KB key name. */
const LOG_GROWTH_BOUND_BYTES = 32 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('browser mode under abuse (a real Berth process, the real engine)', () => {
  let berth: BerthWebProcess;
  const containers: string[] = [];

  beforeAll(async () => {
    berth = await startBerthWebProcess(dockerHost);
  });

  afterAll(async () => {
    await berth?.stop();
    await removeContainers(dockerHost, containers);
  });

  async function answersANormalCall(): Promise<void> {
    expect(berth.exitReport()).toBeNull();
    expect(berth.lastResortLines()).toEqual([]);
    const client = await connectRawClient(berth);
    const reply = await client.call('containers.list', {});
    client.close();
    expect(reply.t).toBe('result');
  }

  /** An upgrade request as raw bytes, so each refusal kind can be sent exactly. */
  function upgradeRequest(kind: string): string {
    const host = kind === 'foreign Host' ? `evil.example:${berth.port}` : `127.0.0.1:${berth.port}`;
    const origin = kind === 'foreign Origin' ? 'http://evil.example' : `http://127.0.0.1:${berth.port}`;
    const token = kind === 'no token' ? '' : `Authorization: Bearer ${berth.token}\r\n`;
    const path = kind === 'unknown path' ? '/__berth/other' : WEBSOCKET_PATH;
    return (
      `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${origin}\r\n${token}Upgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`
    );
  }

  /** Sends the request and resets the connection: at once (mid-refusal), or once the refusal arrived. */
  function refusedAndReset(request: string, resetAt: 'once-sent' | 'on-reply'): Promise<void> {
    return new Promise((resolve) => {
      const socket = net.connect(berth.port, '127.0.0.1', () => {
        socket.write(request);
        if (resetAt === 'once-sent') setImmediate(() => socket.resetAndDestroy());
      });
      socket.once('data', () => socket.resetAndDestroy());
      socket.on('error', () => undefined);
      socket.once('close', () => resolve());
    });
  }

  it.each(['no token', 'foreign Host', 'foreign Origin', 'unknown path'])(
    'lives through 1,000 refused upgrades (%s), each reset by the client',
    async (kind) => {
      const request = upgradeRequest(kind);
      for (let round = 0; round < 20; round += 1) {
        await Promise.all(Array.from({ length: 50 }, (_, n) => refusedAndReset(request, n % 2 === 0 ? 'once-sent' : 'on-reply')));
      }
      await answersANormalCall();
    },
  );

  it('holds its memory while a client that stops reading follows 20 streams of an 18 MB log, and when it floods acks', async () => {
    const name = uniqueName('abuse-log');
    containers.push(name);
    const line = 'x'.repeat(79);
    await dockerCli(dockerHost, ['run', '--name', name, BUSYBOX_IMAGE, 'sh', '-c', `yes ${line} | head -c 18000000`]);
    const logs = { id: name, tail: 100_000, since: null, follow: false };

    // Warm the server's code paths once, reading as a page does, so the baseline is the steady one.
    const warm = await connectRawClient(berth);
    warm.send({ t: 'subscribe', id: 1, stream: 'containers.logs', args: logs });
    await sleep(1_000);
    warm.close();
    await sleep(500);

    for (const flood of [false, true]) {
      const baseline = berth.rssMiB();
      const client = await connectRawClient(berth);
      client.ws.pause(); // reads nothing from here on
      const ids = Array.from({ length: 20 }, (_, n) => 1_000 + n);
      for (const id of ids) client.send({ t: 'subscribe', id, stream: 'containers.logs', args: logs });
      let peak = baseline;
      for (let tick = 0; tick < 30; tick += 1) {
        if (flood) for (const id of ids) client.send({ t: 'ack', id, count: 1_000_000 });
        await sleep(400);
        peak = Math.max(peak, berth.rssMiB());
      }
      // The streams were live all along: once the client reads again, every one of them delivers.
      client.ws.resume();
      await waitFor('items of all 20 streams', () => new Set(client.received.map((message) => message.id)).size === 20);
      client.close();
      console.log(
        `stalled reader${flood ? ' flooding acks' : ''}: RSS ${baseline.toFixed(0)} → peak ${peak.toFixed(0)} MiB (bound +${STALLED_READER_RSS_BOUND_MIB})`,
      );
      expect(peak - baseline).toBeLessThan(STALLED_READER_RSS_BOUND_MIB);
      await sleep(500);
    }
    await answersANormalCall();
  });

  it('refuses 2,000 uploads at once, uploads to a missing container and a 900 KB key, each with its message, and logs little', async () => {
    const name = uniqueName('abuse-upload');
    containers.push(name);
    await dockerCli(dockerHost, ['create', '--name', name, BUSYBOX_IMAGE, 'true']);
    const logBefore = berth.stderr().length;
    const client = await connectRawClient(berth);
    const size = 1024 * 1024;

    const replies = await Promise.all(
      Array.from({ length: 2_000 }, () =>
        client.call('containers.uploadStart', { id: name, directory: '/tmp', name: 'f', size }),
      ),
    );
    const accepted = replies.filter((reply) => reply.t === 'result');
    const refused = replies.filter((reply): reply is Extract<ServerMessage, { t: 'error' }> => reply.t === 'error');
    expect(accepted).toHaveLength(4);
    expect(refused).toHaveLength(1_996);
    for (const { error } of refused) {
      expect(error.code).toBe('limit-reached');
      expect(error.message).toMatch(/^(Too many calls at once on this connection|4 uploads are in progress on this connection)/);
    }

    client.close();

    // A new connection: the four uploads above hold this one's share.
    const other = await connectRawClient(berth);
    const missing = await other.call('containers.uploadStart', { id: 'no-such-container-x', directory: '/', name: 'f', size });
    expect(missing).toMatchObject({
      t: 'error',
      error: { code: 'not-found', message: 'There is no container no-such-container-x.' },
    });
    const noFolder = await other.call('containers.uploadStart', { id: name, directory: '/no/such/folder', name: 'f', size: 1 });
    expect(noFolder).toMatchObject({
      t: 'error',
      error: { code: 'not-found', message: `There is no folder /no/such/folder in container ${name}.` },
    });

    const key = 'k'.repeat(900_000);
    const hugeKey = await other.call('containers.list', { [key]: 1 });
    expect(hugeKey.t).toBe('error');
    const { error } = hugeKey as Extract<ServerMessage, { t: 'error' }>;
    expect(error.code).toBe('invalid-request');
    expect(error.message.length).toBeLessThan(1_100);
    other.close();

    const logGrowth = berth.stderr().length - logBefore;
    console.log(`log growth over 2,000 refused uploads and a 900 KB key: ${logGrowth} bytes (bound ${LOG_GROWTH_BOUND_BYTES})`);
    expect(logGrowth).toBeLessThan(LOG_GROWTH_BOUND_BYTES);
    await answersANormalCall();
  });

  it('takes 32 connections at once and refuses the 33rd with the reason, until one closes', async () => {
    const clients = await Promise.all(Array.from({ length: 32 }, () => connectRawClient(berth)));
    const refusal = await connectRawClient(berth).then(
      () => 'connected',
      (error: Error) => error.message,
    );
    expect(refusal).toBe('Unexpected server response: 503');
    const connects = () =>
      connectRawClient(berth).then(
        (client) => (client.close(), true),
        () => false,
      );
    clients.pop()!.close();
    await waitFor('a connection after one closed', connects);
    for (const client of clients) client.close();
    await waitFor('a connection after all closed', connects);
    await answersANormalCall();
  });

  it('never wrote its token, or any private key, to its log', () => {
    expect(findSecrets('stderr', berth.stderr(), [{ label: 'the browser-mode token', value: berth.token }])).toEqual([]);
  });

  it('never needed its last-resort guard', () => {
    expect(berth.lastResortLines()).toEqual([]);
  });
});
