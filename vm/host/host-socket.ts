/**
 * A unix socket on the host that speaks to the VM's engine: each connection is carried over mutual
 * TLS to the engine's 127.0.0.1 forward with this installation's client certificate, so tools that
 * know only DOCKER_HOST=unix://… (the docker CLI, compose, IDE plugins) work without TLS settings.
 * The socket is mode 0600 in the 0700 state directory: only this user reaches it, which is the same
 * trust the TLS key on disk already grants.
 *
 * Bytes are piped as they are, both ways, with half-close kept (`docker run -i` ends stdin with a
 * half-close and still reads the output), and with the pipes' own backpressure.
 *
 * New engine connections are opened a few at a time (maxConnecting): QEMU's user network listens on the
 * forward with a backlog of 1, so a burst of connects (200 clients at once) has most SYNs dropped and
 * retried by the kernel 1, 3, 7 s later. Waiting clients stay connected to the socket, their bytes held.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import type { Disposable } from '../../base/index.js';
import type { TlsMaterial } from '../../engine/core/index.js';
import type { DoorGate } from '../rest/index.js';
import { EngineSpares, tlsReady } from './engine-spares.js';
import { ensurePrivateFolder } from './private-folder.js';

export interface EngineTlsTarget {
  host: string;
  port: number;
  tls: TlsMaterial;
}

export interface HostSocketOptions {
  socketPath: string;
  /** Where a new connection goes; null while the engine is down (the client is then closed at once). */
  target: () => EngineTlsTarget | null;
  /** Engine connections being opened (TCP and TLS handshake) at once; the rest wait their turn. */
  maxConnecting?: number;
  /**
   * Resume the last TLS session for a new engine connection (true by default): the engine then skips
   * the certificate signature and checks, most of a handshake's cost in an emulated VM.
   */
  resumeSessions?: boolean;
  /** Wakes a resting VM before a connection goes on, and hears of the traffic (rest/). */
  gate?: DoorGate;
  /** Engine connections kept open ahead of clients (engine-spares.ts); 0 by default. */
  spares?: number;
}

/** Measured with 200 clients at once through QEMU's forward (vm/README.md, "Faults"). */
export const DEFAULT_MAX_CONNECTING = 4;

export class HostSocketProxy implements Disposable {
  private readonly clients = new Set<net.Socket>();
  private readonly upstreams = new Set<tls.TLSSocket>();
  /** Clients waiting for a connecting slot, in arrival order. */
  private readonly waiting: net.Socket[] = [];
  private connecting = 0;
  /** The engine's last session ticket, per target (a new boot listens on another port). */
  private session: { key: string; ticket: Buffer } | null = null;
  private closed = false;
  private spares: EngineSpares | null = null;

  private constructor(
    private readonly server: net.Server,
    readonly socketPath: string,
    private readonly target: () => EngineTlsTarget | null,
    private readonly maxConnecting: number,
    private readonly resumeSessions: boolean,
    private readonly gate: DoorGate | undefined,
  ) {
    server.on('connection', (client) => this.admit(client));
  }

  /**
   * Listens on socketPath (replacing a socket a dead Berth left behind) and sets its mode to 0600.
   * Refuses a folder another user owns or may write to: they could put their own socket in its place.
   * A Windows named pipe (`\\.\pipe\NAME`, vm/wsl) is no file: no folder, nothing to replace, chmod or remove.
   */
  static async listen(options: HostSocketOptions): Promise<HostSocketProxy> {
    const file = !isNamedPipePath(options.socketPath);
    if (file) {
      ensurePrivateFolder("the engine's host socket folder", path.dirname(options.socketPath));
      removeStaleSocket(options.socketPath);
    }
    const server = net.createServer({ allowHalfOpen: true });
    const proxy = new HostSocketProxy(
      server,
      options.socketPath,
      options.target,
      options.maxConnecting ?? DEFAULT_MAX_CONNECTING,
      options.resumeSessions ?? true,
      options.gate,
    );
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) =>
        reject(new Error(`The engine socket ${options.socketPath} could not be created: ${error.message}`));
      server.once('error', fail);
      server.listen(options.socketPath, () => {
        server.off('error', fail);
        resolve();
      });
    });
    if (options.spares)
      proxy.spares = new EngineSpares({
        count: options.spares,
        open: () => proxy.openSpare(),
        resting: () => options.gate?.resting ?? false,
      });
    // Until this chmod the socket has the umask's mode (0755 at most: only the owner may connect,
    // connecting needs write permission) inside the 0700 state directory, so nobody else gets in.
    if (file) fs.chmodSync(options.socketPath, 0o600);
    return proxy;
  }

  get openConnections(): number {
    return this.clients.size;
  }

  /**
   * Stops listening, removes the socket file, drops the TLS connections (the VM is going away) and
   * ends each client's connection with a FIN, as a daemon shutting down would.
   */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.close();
    if (!isNamedPipePath(this.socketPath)) fs.rmSync(this.socketPath, { force: true });
    this.waiting.length = 0;
    this.spares?.dispose();
    for (const upstream of this.upstreams) upstream.destroy();
    for (const client of this.clients) closeCleanly(client);
  }

  /** Engine connections being opened now (at most maxConnecting). */
  get connectingConnections(): number {
    return this.connecting;
  }

  /** How many clients wait for their engine connection to be opened. */
  get waitingConnections(): number {
    return this.waiting.length;
  }

  /** Through the gate first: a resting VM wakes; what the client sends meanwhile waits in its socket. */
  private admit(client: net.Socket): void {
    if (!this.gate) return this.accept(client);
    this.clients.add(client);
    client.once('close', () => this.clients.delete(client));
    // A client that resets while the VM wakes just goes (accept adds the same listener for the queue).
    client.on('error', () => client.destroy());
    this.gate.enter().then(
      () => (client.destroyed ? undefined : this.accept(client)),
      () => closeCleanly(client),
    );
  }

  private accept(client: net.Socket): void {
    if (this.closed || !this.target()) {
      closeCleanly(client);
      return;
    }
    this.clients.add(client);
    client.once('close', () => this.clients.delete(client));
    // A client that resets while it waits just leaves the queue (openNext skips it).
    client.on('error', () => client.destroy());
    // Held, not read, until its engine connection is up: pipe() resumes it.
    client.pause();
    this.waiting.push(client);
    this.openNext();
  }

  /** Engine connections kept open ahead of clients with their handshakes done. */
  get spareConnections(): number {
    return this.spares?.readyCount ?? 0;
  }

  /** Gives waiting clients a spare connection, or opens one while fewer than maxConnecting are being opened. */
  private openNext(): void {
    while (this.spares && this.waiting.length > 0) {
      const spare = this.spares.take();
      if (!spare) break;
      const client = this.waiting.shift()!;
      if (client.destroyed) {
        spare.destroy();
        continue;
      }
      this.join(client, spare, true);
    }
    while (this.connecting < this.maxConnecting && this.waiting.length > 0) {
      const client = this.waiting.shift()!;
      if (client.destroyed) continue; // gave up waiting
      const target = this.closed ? null : this.target();
      if (!target) {
        closeCleanly(client);
        continue;
      }
      this.connecting += 1;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        this.connecting -= 1;
        this.openNext();
      };
      this.connect(client, target, release);
    }
  }

  /** release: called once the TLS handshake is done or has failed, freeing the connecting slot. */
  private connect(client: net.Socket, target: EngineTlsTarget, release: () => void): void {
    const upstream = this.openUpstream(target);
    upstream.once('secureConnect', release);
    upstream.once('close', release);
    this.join(client, upstream, false);
  }

  private openSpare(): { socket: tls.TLSSocket; ready: Promise<void> } | null {
    const target = this.closed ? null : this.target();
    if (!target) return null;
    const socket = this.openUpstream(target);
    return { socket, ready: tlsReady(socket) };
  }

  /** A TLS connection to the engine, resuming the last session when there is one. */
  private openUpstream(target: EngineTlsTarget): tls.TLSSocket {
    // tls.connect passes allowHalfOpen on to its socket (Node 20); @types/node does not list it.
    const key = `${target.host}:${target.port}`;
    const session = this.resumeSessions && this.session?.key === key ? this.session.ticket : undefined;
    const options: tls.ConnectionOptions & { allowHalfOpen: boolean } = {
      host: target.host,
      port: target.port,
      ...target.tls,
      allowHalfOpen: true,
      ...(session ? { session } : {}),
    };
    const upstream = tls.connect(options);
    // The engine refusing a ticket (a new boot's keys) costs nothing: the handshake is then a full one.
    if (this.resumeSessions) upstream.on('session', (ticket: Buffer) => (this.session = { key, ticket }));
    this.upstreams.add(upstream);
    upstream.once('close', () => this.upstreams.delete(upstream));
    return upstream;
  }

  /** Pipes a client and its engine connection together; a spare's TLS is up already. */
  private join(client: net.Socket, upstream: tls.TLSSocket, alreadyConnected: boolean): void {
    let connected = alreadyConnected;
    if (!connected) upstream.once('secureConnect', () => (connected = true));
    // pipe() carries each side's end as a half-close to the other, and pauses the faster side.
    client.pipe(upstream);
    upstream.pipe(client);
    if (this.gate) {
      // After the pipes: a 'data' listener alone would let the client's first bytes flow past them.
      const traffic = this.gate.track();
      client.on('data', traffic.fromClient);
      upstream.on('data', traffic.fromEngine);
      client.once('close', traffic.closed);
    }
    // No connection outlives its peer. After a clean close, what is still buffered is flushed (end);
    // after an error or a reset, there is nobody to flush to (destroy).
    client.on('close', (hadError) => (hadError ? upstream.destroy() : upstream.end()));
    upstream.on('close', (hadError) => {
      if (!connected) closeCleanly(client);
      else if (hadError) client.destroy();
      else client.end();
    });
    client.on('error', () => upstream.destroy());
    // The engine refusing or vanishing before TLS is up (the VM stopping) closes the client with a
    // FIN, not a reset: the client sees the connection end, as with a daemon that went away.
    upstream.on('error', () => (connected ? client.destroy() : closeCleanly(client)));
  }
}

/** `\\.\pipe\NAME` or `//./pipe/NAME`: a Windows named pipe, which Node's net listens on like a socket. */
export function isNamedPipePath(socketPath: string): boolean {
  return /^[\\/]{2}[.?][\\/]pipe[\\/]./i.test(socketPath);
}

/** Ends the client's side and discards what it still sends, so the close is a FIN rather than a reset. */
function closeCleanly(client: net.Socket): void {
  if (client.destroyed || client.writableEnded) return;
  client.unpipe();
  client.on('data', () => undefined);
  client.end();
  // With allowHalfOpen, the socket is freed once the client closes its side too; do not wait forever.
  setTimeout(() => client.destroy(), 5_000).unref();
}

function removeStaleSocket(socketPath: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(socketPath);
  } catch {
    return;
  }
  // Only a socket: the caller holds the VM's instance lock, so a socket here is a dead Berth's. Any
  // other kind of file is not ours to delete.
  if (!stat.isSocket()) throw new Error(`${socketPath} exists and is not a socket.`);
  fs.rmSync(socketPath, { force: true });
}
