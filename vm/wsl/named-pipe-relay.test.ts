import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TlsMaterial } from '../../engine/core/index.js';
import { dockerHostUrl } from '../engine-machine.js';
import { engineTlsStandIn } from '../testing/engine-tls-stand-in.js';
import { ENGINE_PIPE_PATH, listenEngineRelay, relayListenError } from './named-pipe-relay.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-pipe-relay-test-'));
// On Windows the relay listens on ENGINE_PIPE_PATH; the same code listens on a unix socket here.
const relayPath = path.join(dir, 'berth-engine');
let material: TlsMaterial;
let engine: https.Server;
let enginePort = 0;
const seenClients: string[] = [];

/** Stands in for dockerd's TLS port: HTTPS, a client certificate required, /_ping and a body echo. */
beforeAll(async () => {
  const standIn = await engineTlsStandIn(path.join(dir, 'tls'));
  material = standIn.client;
  engine = https.createServer(standIn.server, (request, response) => {
    const peer = (request.socket as tls.TLSSocket).getPeerCertificate();
    seenClients.push(String(peer.subject?.CN));
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => response.end(request.url === '/_ping' ? 'OK' : `${request.method} ${request.url} ${body}`));
  });
  await new Promise<void>((resolve) => engine.listen(0, '127.0.0.1', resolve));
  enginePort = (engine.address() as net.AddressInfo).port;
});

afterAll(() => {
  engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Plain HTTP over the relay's path, as the docker CLI speaks over npipe://. */
function request(method: string, url: string, body = ''): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request({ socketPath: relayPath, method, path: url, agent: false }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describe('the engine relay for npipe:// tools', () => {
  it("carries plain HTTP to the TLS engine with this installation's client certificate", async () => {
    const relay = await listenEngineRelay({
      path: relayPath,
      target: () => ({ host: '127.0.0.1', port: enginePort, tls: material }),
    });
    try {
      expect(await request('GET', '/_ping')).toEqual({ status: 200, text: 'OK' });
      expect(await request('POST', '/containers/create', '{"Image":"busybox"}')).toEqual({
        status: 200,
        text: 'POST /containers/create {"Image":"busybox"}',
      });
      expect(seenClients).toEqual(['berth-client', 'berth-client']); // the engine saw this installation's certificate
    } finally {
      relay.dispose();
    }
    // Gone with the engine: nobody listens any more.
    await expect(request('GET', '/_ping')).rejects.toThrow(/ENOENT|ECONNREFUSED/);
  });

  it('closes a connection at once while the engine is down', async () => {
    const relay = await listenEngineRelay({ path: relayPath, target: () => null });
    try {
      await expect(request('GET', '/_ping')).rejects.toThrow(/socket hang up|ECONNRESET/);
    } finally {
      relay.dispose();
    }
  });

  it('names the pipe the docker CLI way, and says who holds a pipe already taken', () => {
    expect(ENGINE_PIPE_PATH).toBe('\\\\.\\pipe\\berth-engine');
    expect(dockerHostUrl(ENGINE_PIPE_PATH)).toBe('npipe:////./pipe/berth-engine');
    expect(
      relayListenError(new Error('listen EADDRINUSE: address already in use \\\\.\\pipe\\berth-engine'), ENGINE_PIPE_PATH)
        .message,
    ).toMatch(/^Another program already serves \\\\.\\pipe\\berth-engine/);
    expect(relayListenError(new Error('boom'), ENGINE_PIPE_PATH).message).toBe(
      'Berth could not open \\\\.\\pipe\\berth-engine for docker tools: boom',
    );
  });
});
