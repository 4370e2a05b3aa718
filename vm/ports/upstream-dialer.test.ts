import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamDialer, UpstreamDialError } from './upstream-dialer.js';

const servers: net.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

function listening(): Promise<number> {
  const server = net.createServer((socket) => socket.end());
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A connect whose SYN the kernel dropped: a socket that never connects (and never errs). */
const neverConnects = () => new net.Socket();

describe('UpstreamDialer', () => {
  it('tries a connect that did not complete again at once, instead of after the kernel’s 1 s retransmit', async () => {
    const port = await listening();
    let attempts = 0;
    const dialer = new UpstreamDialer({
      port,
      attemptMs: 20,
      connect: (p, host) => (++attempts <= 3 ? neverConnects() : net.connect(p, host)),
    });
    const started = performance.now();
    const socket = await dialer.dial();
    expect(performance.now() - started).toBeLessThan(900);
    expect(socket.remotePort).toBe(port);
    expect(dialer.retries).toBe(3);
    socket.destroy();
  });

  it('has one connect in flight at a time, so QEMU’s queue of two never overflows from here', async () => {
    const port = await listening();
    let inFlight = 0;
    let most = 0;
    const dialer = new UpstreamDialer({
      port,
      connect: (p, host) => {
        most = Math.max(most, ++inFlight);
        const socket = net.connect(p, host);
        socket.once('connect', () => inFlight--);
        return socket;
      },
    });
    const sockets = await Promise.all(Array.from({ length: 20 }, () => dialer.dial()));
    expect(most).toBe(1);
    for (const socket of sockets) socket.destroy();
  });

  it('gives up at once on a refused connect (no forward in QEMU), and after its deadline on silence', async () => {
    const refused = new UpstreamDialer({ port: await closedPort() });
    await expect(refused.dial()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(refused.retries).toBe(0);

    const silent = new UpstreamDialer({ port: 1, attemptMs: 10, deadlineMs: 60, connect: neverConnects });
    const error = await silent.dial().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamDialError);
    expect(error).toMatchObject({ code: 'ETIMEDOUT', message: "The VM's forward on port 1 accepted nothing in time." });
  });

  it('stops trying for a client that went away, and lets the next dial go', async () => {
    const port = await listening();
    const gone = new AbortController();
    let attempts = 0;
    const dialer = new UpstreamDialer({
      port,
      attemptMs: 10,
      connect: (p, host) => {
        if (++attempts === 2) gone.abort();
        return attempts <= 2 ? neverConnects() : net.connect(p, host);
      },
    });
    await expect(dialer.dial(gone.signal)).rejects.toMatchObject({ code: 'ABORTED' });
    const socket = await dialer.dial();
    socket.destroy();
  });
});
