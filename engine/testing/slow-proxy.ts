/**
 * A TCP forwarder on 127.0.0.1 that passes what the target sends back at a bounded rate, so a pull
 * from the local registry lasts long enough for a test to act in the middle of it (on loopback it is
 * over in a blink). dockerd treats every 127.0.0.0/8 registry as insecure, so `127.0.0.1:PORT/repo`
 * pulls through it with no engine setting; the registry behind it serves the same repositories.
 */
import net from 'node:net';

export interface SlowProxy {
  /** host:port to use in image references instead of the target's. */
  readonly address: string;
  close(): Promise<void>;
}

export async function startSlowProxy(target: string, bytesPerSecond: number): Promise<SlowProxy> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined); // the other side's close ends both
    }
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      // Hold the next chunk back for as long as this one "took" at the rate.
      upstream.pause();
      setTimeout(() => upstream.resume(), (chunk.length / bytesPerSecond) * 1000);
    });
    upstream.on('end', () => client.end());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: proxyPort } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${proxyPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
