/**
 * The engine's TLS port as the host sees it: a TCP relay on 127.0.0.1 in front of QEMU's forward, so a
 * client that uses the TLS endpoint itself (VmService.endpoint(), a tool given the certificates) wakes
 * a resting VM like the host socket does. Bytes pass as they are (TLS end to end), both ways, half-close
 * kept; QEMU's forward listens on another loopback port that only this relay and Berth's own internal
 * connections use.
 */
import net from 'node:net';
import type { Disposable } from '../../base/index.js';
import type { DoorGate } from './rest-controller.js';

export class EngineDoor implements Disposable {
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  /** Listens on 127.0.0.1 (a free port unless given) and relays each connection to guestPort once the gate lets it. */
  static async open(options: { guestPort: number; gate: DoorGate; port?: number }): Promise<EngineDoor> {
    const server = net.createServer({ allowHalfOpen: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const door = new EngineDoor(server, (server.address() as net.AddressInfo).port);
    server.on('connection', (client) => door.relay(client, options));
    return door;
  }

  dispose(): void {
    this.server.close();
    for (const socket of this.sockets) socket.destroy();
  }

  private keep(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private relay(client: net.Socket, options: { guestPort: number; gate: DoorGate }): void {
    this.keep(client);
    options.gate.enter().then(
      () => {
        if (client.destroyed) return;
        const upstream = net.connect({ host: '127.0.0.1', port: options.guestPort, allowHalfOpen: true });
        this.keep(upstream);
        client.pipe(upstream);
        upstream.pipe(client);
        const traffic = options.gate.track();
        client.on('data', traffic.fromClient);
        upstream.on('data', traffic.fromEngine);
        // No connection outlives its peer. pipe() passes a clean end on as a half-close; after a clean
        // close what is still buffered is flushed (end), after an error there is nobody to flush to.
        client.once('close', (hadError) => {
          traffic.closed();
          if (hadError) upstream.destroy();
          else upstream.end();
        });
        upstream.once('close', (hadError) => (hadError ? client.destroy() : client.end()));
      },
      () => client.destroy(),
    );
  }
}
