/**
 * Connections to QEMU's own user-net forward, made so that none is lost. QEMU's slirp listens with a
 * backlog of 1: while two handshaken connections wait for it to accept them, the kernel drops every
 * further SYN, and the client's kernel sends it again only a second later (then 3 s, 7 s…). That is
 * what 100 concurrent clients hit (65 of 2,000 requests failed, p99 7.3 s). The dialer opens one
 * connection at a time, and a connect that has not completed after `attemptMs` (a loopback handshake
 * with room in the queue completes at once) is dropped and tried again at once instead of a second
 * later; each further try of the same dial waits twice as long (up to `maxAttemptMs`), so a QEMU that
 * accepts slowly is not flooded, and one that accepts quickly is not waited for. Clients wait in the relay's own listener, which has a real backlog.
 */
import net from 'node:net';

export interface UpstreamDialerOptions {
  /** QEMU's forward on 127.0.0.1. */
  port: number;
  host?: string;
  /** How long a first connect may take before its SYN counts as dropped. */
  attemptMs?: number;
  /** The longest wait of a later try. */
  maxAttemptMs?: number;
  /** How long one dial may take in all (QEMU stopped accepting: the client is turned away). */
  deadlineMs?: number;
  /** Connects in flight at once: one keeps QEMU's queue of two from overflowing. */
  parallel?: number;
  /** Replaced in unit tests. */
  connect?: (port: number, host: string) => net.Socket;
}

export class UpstreamDialError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const DEFAULT_ATTEMPT_MS = 4;
const DEFAULT_MAX_ATTEMPT_MS = 64;
const DEFAULT_DEADLINE_MS = 10_000;

const connectTcp = (port: number, host: string) => net.connect({ port, host, allowHalfOpen: true });

export class UpstreamDialer {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  /** Connects that were dropped and made again (how often QEMU's queue was full). */
  retries = 0;

  constructor(private readonly options: UpstreamDialerOptions) {}

  /** A connected socket to the upstream; rejects with UpstreamDialError (refused, deadline, aborted). */
  async dial(signal?: AbortSignal): Promise<net.Socket> {
    const deadline = Date.now() + (this.options.deadlineMs ?? DEFAULT_DEADLINE_MS);
    let attemptMs = this.options.attemptMs ?? DEFAULT_ATTEMPT_MS;
    await this.acquire();
    try {
      for (;;) {
        if (signal?.aborted) throw new UpstreamDialError('The client went away.', 'ABORTED');
        const socket = await this.attempt(deadline, attemptMs);
        if (socket) return socket;
        this.retries++;
        attemptMs = Math.min(attemptMs * 2, this.options.maxAttemptMs ?? DEFAULT_MAX_ATTEMPT_MS);
      }
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.inFlight < (this.options.parallel ?? 1)) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next)
      next(); // the slot passes on as it is
    else this.inFlight--;
  }

  /** The socket once connected; null when the SYN was dropped (try again); rejects when refused or past the deadline. */
  private attempt(deadline: number, attemptMs: number): Promise<net.Socket | null> {
    const { port, host = '127.0.0.1' } = this.options;
    return new Promise((resolve, reject) => {
      const socket = (this.options.connect ?? connectTcp)(port, host);
      let settled = false;
      const settle = (action: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.off('connect', onConnect);
        socket.off('error', onError);
        action();
      };
      const onConnect = () => settle(() => resolve(socket));
      const onError = (error: NodeJS.ErrnoException) =>
        settle(() =>
          reject(new UpstreamDialError(`The VM's forward on port ${port} failed: ${error.message}`, error.code ?? 'ERROR')),
        );
      socket.once('connect', onConnect);
      socket.once('error', onError);
      const timer = setTimeout(() => {
        // Looked at after this turn's I/O: a connect that completed while the event loop was busy is
        // delivered first, and not taken for a dropped one.
        setImmediate(() =>
          settle(() => {
            socket.destroy();
            if (Date.now() >= deadline) {
              reject(new UpstreamDialError(`The VM's forward on port ${port} accepted nothing in time.`, 'ETIMEDOUT'));
            } else resolve(null);
          }),
        );
      }, attemptMs);
    });
  }
}
