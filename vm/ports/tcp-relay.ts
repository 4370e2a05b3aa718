/**
 * A published TCP port on this computer's 127.0.0.1, held by Berth itself: a listener with a real
 * backlog, each connection piped to QEMU's own forward on an internal loopback port (which goes on to
 * the same port in the VM). QEMU listens with a backlog of 1, so clients met directly by it lose SYNs
 * under load; here they wait in this listener's queue and reach QEMU through UpstreamDialer, one
 * handshake at a time. Half-closes pass through both ways; a reset on one side resets the other.
 */
import net from 'node:net';
import type { Disposable } from '../../base/index.js';
import { UpstreamDialer, type UpstreamDialerOptions } from './upstream-dialer.js';

export interface TcpRelayOptions {
  /** The port people use, on 127.0.0.1. */
  hostPort: number;
  /** QEMU's forward for it, on 127.0.0.1. */
  upstreamPort: number;
  host?: string;
  /** Clients waiting for this listener to accept them (QEMU's own is 1). */
  backlog?: number;
  dialer?: Omit<UpstreamDialerOptions, 'port'>;
}

const DEFAULT_BACKLOG = 1024;

export class TcpRelay implements Disposable {
  private readonly sockets = new Set<net.Socket>();
  private readonly dialer: UpstreamDialer;
  private closed = false;

  private constructor(
    private readonly server: net.Server,
    readonly options: TcpRelayOptions,
  ) {
    this.dialer = new UpstreamDialer({ ...options.dialer, port: options.upstreamPort });
    server.on('connection', (client) => this.relay(client));
  }

  /** Listens on hostPort; rejects with the listen error (EADDRINUSE: someone else has the port). */
  static listen(options: TcpRelayOptions): Promise<TcpRelay> {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
    const relay = new TcpRelay(server, options);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(
        {
          port: options.hostPort,
          host: options.host ?? '127.0.0.1',
          exclusive: true,
          backlog: options.backlog ?? DEFAULT_BACKLOG,
        },
        () => {
          server.off('error', reject);
          resolve(relay);
        },
      );
    });
  }

  /** Sockets open now, clients and their upstreams. */
  get openSockets(): number {
    return this.sockets.size;
  }

  /** Upstream connects made again because QEMU's queue was full. */
  get retries(): number {
    return this.dialer.retries;
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private relay(client: net.Socket): void {
    if (this.closed) return void client.destroy();
    this.track(client);
    client.setNoDelay(true);
    const gone = new AbortController();
    // Until the upstream is there, an error or close of the client only cancels the dial.
    const onEarlyError = () => gone.abort();
    client.on('error', onEarlyError);
    client.once('close', () => gone.abort());
    this.dialer.dial(gone.signal).then(
      (upstream) => {
        client.off('error', onEarlyError);
        if (this.closed || client.destroyed) return void upstream.destroy();
        this.track(upstream);
        this.join(client, upstream);
      },
      () => {
        client.off('error', onEarlyError);
        // The VM's side is not there (refused) or did not answer: the client sees a reset, as it
        // would from a port nobody serves.
        if (!client.destroyed) client.resetAndDestroy();
      },
    );
  }

  private join(client: net.Socket, upstream: net.Socket): void {
    upstream.setNoDelay(true);
    // pipe() ends the other side on an end (a half-close, which allowHalfOpen keeps open the other
    // way); a socket that both ended closes itself.
    client.pipe(upstream);
    upstream.pipe(client);
    const resetBoth = () => {
      if (!client.destroyed) client.resetAndDestroy();
      if (!upstream.destroyed) upstream.resetAndDestroy();
    };
    client.on('error', resetBoth);
    upstream.on('error', resetBoth);
    // A side that closed without an error or an end (destroyed) ends the other, after what it still has to send.
    const endOther = (other: net.Socket) => () => {
      if (!other.destroyed && !other.writableEnded) other.end();
    };
    client.once('close', endOther(upstream));
    upstream.once('close', endOther(client));
    client.resume();
  }

  /** Stops listening and cuts every connection: the container stopped, or the VM is going away. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.close();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}
