/**
 * A tcp:// engine with TLS, from the paths the user gave to a mutual-TLS request: a stand-in engine
 * (an https server that demands a client certificate from its CA and answers /version) on loopback,
 * with a CA, server and client certificates made for this test.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTlsMaterial } from '../../vm/host/tls-material.js';
import { endpointOfSaved, probeEngine } from './engine-endpoints.js';

describe('tcp:// engine with TLS files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-tcp-tls-'));
  const otherDir = mkdtempSync(join(tmpdir(), 'berth-tcp-tls-other-'));
  let server: https.Server;
  let port: number;
  const paths = (base: string) => ({ ca: join(base, 'ca.pem'), cert: join(base, 'cert.pem'), key: join(base, 'key.pem') });

  beforeAll(async () => {
    await ensureTlsMaterial(dir);
    await ensureTlsMaterial(otherDir); // another CA: its client certificate must be refused
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    server = https.createServer(
      {
        ca: read('ca.pem'),
        cert: read('server-cert.pem'),
        key: read('server-key.pem'),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (request, response) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ Version: '26.1.5', ApiVersion: '1.45', path: request.url }));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
    rmSync(otherDir, { recursive: true, force: true });
  });

  it('reaches the engine with the CA, certificate and key at the given paths', async () => {
    const endpoint = endpointOfSaved({ id: 'prod', name: 'prod', address: `tcp://127.0.0.1:${port}`, tls: paths(dir) });
    expect(endpoint).toMatchObject({ kind: 'tcp', host: '127.0.0.1', port });
    expect(await probeEngine(endpoint)).toEqual({ kind: 'reachable', version: '26.1.5', apiVersion: '1.45' });
  });

  it('is refused with a client certificate from another CA, and says where', async () => {
    const endpoint = endpointOfSaved({ id: 'prod', name: 'prod', address: `tcp://127.0.0.1:${port}`, tls: paths(otherDir) });
    const status = await probeEngine(endpoint);
    expect(status.kind).toBe('unreachable');
    if (status.kind === 'unreachable') expect(status.reason).toContain(`tcp://127.0.0.1:${port} (mutual TLS)`);
  });
});
