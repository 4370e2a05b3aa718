import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTlsMaterial, type TlsMaterial } from '../../engine/core/index.js';
import type { DoorGate } from '../rest/index.js';
import { HostSocketProxy, type EngineTlsTarget } from './host-socket.js';
import { ensureTlsMaterial } from './tls-material.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-host-socket-test-'));
const socketPath = path.join(dir, 'docker.sock');
let material: TlsMaterial;
let engine: tls.Server;
let enginePort = 0;

/** Stands in for dockerd's TLS port: client certificate required; answers once the client half-closes. */
function startEngine(): Promise<void> {
  const read = (name: string) => fs.readFileSync(path.join(dir, 'tls', name));
  engine = tls.createServer(
    {
      ca: read('ca.pem'),
      cert: read('server-cert.pem'),
      key: read('server-key.pem'),
      requestCert: true,
      rejectUnauthorized: true,
      allowHalfOpen: true,
    },
    (socket) => {
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      socket.on('end', () => socket.end(`got: ${received}`));
    },
  );
  return new Promise((resolve) =>
    engine.listen(0, '127.0.0.1', () => {
      enginePort = (engine.address() as net.AddressInfo).port;
      resolve();
    }),
  );
}

/** Sends text, half-closes, and collects the answer; reports how the connection ended. */
function exchange(text: string): Promise<{ answer: string; error: string | null }> {
  return new Promise((resolve) => {
    const socket = net.createConnection({ path: socketPath, allowHalfOpen: true });
    let answer = '';
    let error: string | null = null;
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('end', () => socket.end());
    socket.on('close', () => resolve({ answer, error }));
    socket.end(text);
  });
}

async function withProxy(
  target: () => EngineTlsTarget | null,
  body: (proxy: HostSocketProxy) => Promise<void>,
  maxConnecting?: number,
): Promise<void> {
  const proxy = await HostSocketProxy.listen({ socketPath, target, maxConnecting });
  try {
    await body(proxy);
  } finally {
    proxy.dispose();
  }
}

beforeAll(async () => {
  await ensureTlsMaterial(path.join(dir, 'tls'));
  material = readTlsMaterial(path.join(dir, 'tls'));
  await startEngine();
});

afterAll(async () => {
  await new Promise<void>((resolve) => engine.close(() => resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('HostSocketProxy', () => {
  it('carries a connection over mutual TLS, half-close included, on a 0600 socket', async () => {
    await withProxy(
      () => ({ host: '127.0.0.1', port: enginePort, tls: material }),
      async (proxy) => {
        expect((fs.statSync(socketPath).mode & 0o777).toString(8)).toBe('600');
        expect(await exchange('hello')).toEqual({ answer: 'got: hello', error: null });
        const many = await Promise.all(Array.from({ length: 20 }, (_, i) => exchange(`n${i}`)));
        expect(many.map((result) => result.answer)).toEqual(Array.from({ length: 20 }, (_, i) => `got: n${i}`));
        await expect.poll(() => proxy.openConnections).toBe(0);
      },
    );
    expect(fs.existsSync(socketPath)).toBe(false);
  });

  it('opens at most maxConnecting engine connections at once; the other clients wait their turn and all get through', async () => {
    // Sampled each time the engine accepts a connection.
    const seen = { connecting: 0, waiting: 0 };
    let current: HostSocketProxy | undefined;
    const onConnection = () => {
      seen.connecting = Math.max(seen.connecting, current?.connectingConnections ?? 0);
      seen.waiting = Math.max(seen.waiting, current?.waitingConnections ?? 0);
    };
    engine.on('connection', onConnection);
    try {
      await withProxy(
        () => ({ host: '127.0.0.1', port: enginePort, tls: material }),
        async (proxy) => {
          current = proxy;
          const many = await Promise.all(Array.from({ length: 40 }, (_, i) => exchange(`n${i}`)));
          expect(many.map((result) => result.answer)).toEqual(Array.from({ length: 40 }, (_, i) => `got: n${i}`));
          expect(proxy.connectingConnections).toBe(0);
        },
        2,
      );
    } finally {
      engine.off('connection', onConnection);
    }
    expect(seen.connecting).toBe(2);
    expect(seen.waiting).toBeGreaterThan(0);
  });

  it('resumes the engine’s TLS session for later connections (unless told not to), with the client certificate still required', async () => {
    const reused: boolean[] = [];
    const onSecure = (socket: tls.TLSSocket) => reused.push(socket.isSessionReused());
    engine.on('secureConnection', onSecure);
    try {
      for (const resumeSessions of [true, false]) {
        const proxy = await HostSocketProxy.listen({
          socketPath,
          target: () => ({ host: '127.0.0.1', port: enginePort, tls: material }),
          resumeSessions,
        });
        try {
          for (const text of ['a', 'b', 'c']) expect(await exchange(text)).toEqual({ answer: `got: ${text}`, error: null });
        } finally {
          proxy.dispose();
        }
      }
    } finally {
      engine.off('secureConnection', onSecure);
    }
    expect(reused).toEqual([false, true, true, false, false, false]);
  });

  it('closes the client cleanly (end, no reset) when the engine is down or refuses', async () => {
    await withProxy(
      () => null,
      async () => expect(await exchange('hello')).toEqual({ answer: '', error: null }),
    );
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await withProxy(
      () => ({ host: '127.0.0.1', port: deadPort, tls: material }),
      async () => expect(await exchange('hello')).toEqual({ answer: '', error: null }),
    );
  });

  it('ends open connections with a FIN when it is disposed (the VM stopping mid-request)', async () => {
    const proxy = await HostSocketProxy.listen({
      socketPath,
      target: () => ({ host: '127.0.0.1', port: enginePort, tls: material }),
    });
    const socket = net.createConnection({ path: socketPath, allowHalfOpen: true });
    const ended = new Promise<string>((resolve) => {
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code ?? error.message}`));
      socket.on('end', () => resolve('end'));
    });
    socket.write('a request the engine is still reading');
    await expect.poll(() => proxy.openConnections).toBe(1);
    proxy.dispose();
    expect(await ended).toBe('end');
    socket.destroy();
    expect(fs.existsSync(socketPath)).toBe(false);
  });

  it('presents the certificate it is given: another installation’s is refused by the engine', async () => {
    await ensureTlsMaterial(path.join(dir, 'other-tls'));
    const stranger = readTlsMaterial(path.join(dir, 'other-tls'));
    await withProxy(
      () => ({ host: '127.0.0.1', port: enginePort, tls: { ...stranger, ca: material.ca } }),
      async () => expect((await exchange('hello')).answer).toBe(''),
    );
  });

  it('replaces a socket a dead Berth left behind, but never a file that is not a socket', async () => {
    // A process that exits without closing its listener leaves the socket file, as a crash does.
    await promisify(execFile)(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(socketPath)}, () => process.exit(0))`,
    ]);
    expect(fs.lstatSync(socketPath).isSocket()).toBe(true);
    await withProxy(
      () => ({ host: '127.0.0.1', port: enginePort, tls: material }),
      async () => expect((await exchange('again')).answer).toBe('got: again'),
    );

    fs.writeFileSync(socketPath, 'not a socket');
    await expect(HostSocketProxy.listen({ socketPath, target: () => null })).rejects.toThrow(/is not a socket/);
    fs.rmSync(socketPath);
  });

  it('passes a connection on only once its gate lets it (a resting VM woken), and reports the traffic', async () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const traffic: string[] = [];
    const gate: DoorGate = {
      resting: false,
      enter: () => opened,
      track: () => ({
        fromClient: () => traffic.push('client'),
        fromEngine: () => traffic.push('engine'),
        closed: () => traffic.push('closed'),
      }),
    };
    const proxy = await HostSocketProxy.listen({
      socketPath,
      target: () => ({ host: '127.0.0.1', port: enginePort, tls: material }),
      gate,
    });
    try {
      let answered = false;
      const answer = exchange('wake up').then((result) => ((answered = true), result));
      await expect.poll(() => proxy.openConnections).toBe(1);
      expect(answered).toBe(false);
      open();
      expect(await answer).toEqual({ answer: 'got: wake up', error: null });
      await expect.poll(() => traffic.at(-1)).toBe('closed');
      expect(traffic.slice(0, 2)).toEqual(['client', 'engine']);
    } finally {
      proxy.dispose();
    }
  });

  it('closes the client cleanly when its gate refuses (the VM died while resting)', async () => {
    const gate: DoorGate = {
      resting: false,
      enter: () => Promise.reject(new Error('The VM stopped while resting.')),
      track: () => ({ fromClient: () => {}, fromEngine: () => {}, closed: () => {} }),
    };
    const proxy = await HostSocketProxy.listen({
      socketPath,
      target: () => ({ host: '127.0.0.1', port: enginePort, tls: material }),
      gate,
    });
    try {
      expect(await exchange('hello')).toEqual({ answer: '', error: null });
    } finally {
      proxy.dispose();
    }
  });

  it('hands a client a spare engine connection with its handshake done, and opens another', async () => {
    let handshakes = 0;
    const counting = () => handshakes++;
    engine.on('secureConnection', counting);
    const proxy = await HostSocketProxy.listen({
      socketPath,
      target: () => ({ host: '127.0.0.1', port: enginePort, tls: material }),
      spares: 2,
    });
    try {
      await expect.poll(() => proxy.spareConnections).toBe(2);
      expect(handshakes).toBe(2);
      expect(await exchange('from a spare')).toEqual({ answer: 'got: from a spare', error: null });
      // The one taken is replaced: three handshakes in all, still two spares, none made for the client.
      await expect.poll(() => proxy.spareConnections).toBe(2);
      expect(handshakes).toBe(3);
    } finally {
      proxy.dispose();
      engine.off('secureConnection', counting);
    }
  });

  it('opens no spare while the VM rests, and connects a client the usual way when none is ready', async () => {
    let resting = true;
    const gate: DoorGate = {
      get resting() {
        return resting;
      },
      enter: async () => {
        resting = false;
      },
      track: () => ({ fromClient: () => {}, fromEngine: () => {}, closed: () => {} }),
    };
    const proxy = await HostSocketProxy.listen({
      socketPath,
      target: () => ({ host: '127.0.0.1', port: enginePort, tls: material }),
      gate,
      spares: 1,
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(proxy.spareConnections).toBe(0);
      expect(await exchange('woken')).toEqual({ answer: 'got: woken', error: null });
      await expect.poll(() => proxy.spareConnections).toBe(1);
    } finally {
      proxy.dispose();
    }
  });
});
