/**
 * The VM's heartbeat path against a stand-in for dockerd's TLS port (a client certificate required): one
 * kept-alive connection for many beats, no request at all while the VM rests, a silent engine a failure
 * unless the VM went to rest meanwhile.
 */
import fs from 'node:fs';
import https from 'node:https';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TlsMaterial } from '../../engine/core/index.js';
import { engineTlsStandIn } from '../testing/engine-tls-stand-in.js';
import { EngineHeartbeat } from './engine-heartbeat.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-heartbeat-test-'));
let material: TlsMaterial;
let engine: https.Server;
let port = 0;
let pings = 0;
let connections = 0;
let silent = false;

beforeAll(async () => {
  const standIn = await engineTlsStandIn(path.join(dir, 'tls'));
  material = standIn.client;
  engine = https.createServer(standIn.server, (request, response) => {
    if (silent) return; // held: an engine behind a paused VM or a cut link
    if (request.url === '/_ping') pings += 1;
    response.end('OK');
  });
  engine.on('secureConnection', () => (connections += 1));
  await new Promise<void>((resolve) => engine.listen(0, '127.0.0.1', resolve));
  port = (engine.address() as net.AddressInfo).port;
});

afterAll(() => {
  engine.closeAllConnections();
  engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the VM engine heartbeat', () => {
  it('pings over one kept-alive connection', async () => {
    const heartbeat = new EngineHeartbeat({ engine: { port, tls: material }, resting: () => false });
    const [pingsBefore, connectionsBefore] = [pings, connections];
    for (let beat = 0; beat < 5; beat += 1) await heartbeat.ping(AbortSignal.timeout(2_000));
    expect(pings - pingsBefore).toBe(5);
    expect(connections - connectionsBefore).toBe(1);
    heartbeat.dispose();
  });

  it('asks nothing while the VM rests', async () => {
    const heartbeat = new EngineHeartbeat({ engine: { port, tls: material }, resting: () => true });
    const before = pings;
    await heartbeat.ping(AbortSignal.timeout(2_000));
    expect(pings).toBe(before);
    heartbeat.dispose();
  });

  it('fails on a silent engine, unless the VM went to rest while it waited', async () => {
    let resting = false;
    const heartbeat = new EngineHeartbeat({ engine: { port, tls: material }, resting: () => resting });
    silent = true;
    try {
      await expect(heartbeat.ping(AbortSignal.timeout(200))).rejects.toThrow();
      const cut = heartbeat.ping(AbortSignal.timeout(300));
      resting = true;
      await expect(cut).resolves.toBeUndefined();
    } finally {
      silent = false;
      heartbeat.dispose();
    }
  });

  it('fails when nothing listens', async () => {
    const closed = new EngineHeartbeat({ engine: { port: 1, tls: material }, resting: () => false });
    await expect(closed.ping(AbortSignal.timeout(2_000))).rejects.toThrow(/ECONNREFUSED/);
    closed.dispose();
  });
});
