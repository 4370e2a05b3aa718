/**
 * Engine connections opened before anyone asks: a client of the host socket gets one whose TCP and TLS
 * handshakes are done, instead of waiting for both in an emulated guest. Measured through the host
 * socket (TCG, one client at a time, 200 ms apart): `_ping` on a new connection p50 17 ms with spares
 * (27-34 ms in the benchmark's runs without them); on a kept-alive one 6-8 ms.
 *
 * dockerd closes a connection that sends no request within 5 minutes (its HTTP server's
 * ReadHeaderTimeout), counted in the guest's time, which stands still while the VM rests. So a spare is
 * replaced after a minute of awake time, never while the VM rests (a handshake then would wait for the
 * wake anyway), and one that closes meanwhile is dropped; the pool fills again when one is taken or at
 * the next awake tick, never in a loop against an engine that refuses.
 */
import type tls from 'node:tls';
import type { Disposable } from '../../base/index.js';

export interface EngineSparesOptions {
  /** How many to keep open. */
  count: number;
  /**
   * Opens a connection to the engine (null: no engine now); ready resolves once it can be handed out,
   * and rejects (the spare is dropped) when it cannot.
   */
  open: () => { socket: tls.TLSSocket; ready: Promise<void> } | null;
  /** The VM rests: spares age by awake time only, and none is opened. */
  resting: () => boolean;
  /** Awake time after which a spare is replaced. */
  maxAwakeAgeMs?: number;
  /** How often the spares age and the pool fills. */
  tickMs?: number;
}

interface Spare {
  socket: tls.TLSSocket;
  ready: boolean;
  awakeAgeMs: number;
  /** The pool's own listeners, taken off when the spare is handed out. */
  forget: () => void;
}

export class EngineSpares implements Disposable {
  private readonly spares = new Set<Spare>();
  private readonly timer: NodeJS.Timeout;
  private readonly maxAwakeAgeMs: number;
  private readonly tickMs: number;
  private disposed = false;

  constructor(private readonly options: EngineSparesOptions) {
    this.maxAwakeAgeMs = options.maxAwakeAgeMs ?? 60_000;
    this.tickMs = options.tickMs ?? 15_000;
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
    this.fill();
  }

  /** Spares whose handshake is done. */
  get readyCount(): number {
    return [...this.spares].filter((spare) => spare.ready).length;
  }

  /** A connection with its handshakes done, taken out of the pool (which fills again); null if none is. */
  take(): tls.TLSSocket | null {
    for (const spare of this.spares) {
      if (!spare.ready || spare.socket.destroyed) continue;
      this.spares.delete(spare);
      spare.forget();
      this.fill();
      return spare.socket;
    }
    this.fill();
    return null;
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
    for (const spare of this.spares) spare.socket.destroy();
    this.spares.clear();
  }

  private tick(): void {
    if (this.disposed || this.options.resting()) return;
    for (const spare of this.spares) {
      spare.awakeAgeMs += this.tickMs;
      if (spare.awakeAgeMs >= this.maxAwakeAgeMs) this.drop(spare);
    }
    this.fill();
  }

  private fill(): void {
    while (!this.disposed && !this.options.resting() && this.spares.size < this.options.count) {
      const opened = this.options.open();
      if (!opened) return;
      const { socket } = opened;
      // Dropped, not opened again now: an engine that refuses would be asked in a loop.
      const onClose = () => this.spares.delete(spare);
      const onError = () => socket.destroy();
      const spare: Spare = {
        socket,
        ready: false,
        awakeAgeMs: 0,
        forget: () => {
          socket.off('close', onClose);
          socket.off('error', onError);
        },
      };
      this.spares.add(spare);
      opened.ready.then(
        () => (spare.ready = !socket.destroyed),
        () => socket.destroy(),
      );
      socket.once('close', onClose);
      socket.on('error', onError);
    }
  }

  private drop(spare: Spare): void {
    this.spares.delete(spare);
    spare.socket.destroy();
  }
}

/** Ready once TLS is up; rejects when the connection closes first. */
export function tlsReady(socket: tls.TLSSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    const onClose = () => reject(new Error('The engine closed the connection.'));
    socket.once('close', onClose);
    socket.once('secureConnect', () => {
      socket.off('close', onClose);
      resolve();
    });
  });
}
