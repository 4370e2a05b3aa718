/**
 * The app's heartbeat to the VM's engine, asked on QEMU's own forward rather than through a door: the
 * doors count every byte as use, so a ping every half second would keep the VM from ever resting, and
 * would wake it at once. One kept-alive TLS connection, so a beat costs the emulated guest a request,
 * not a handshake. A VM at rest (or going to it) is away on purpose: a beat then passes without asking,
 * and a ping cut short by the pause is no loss. QEMU dying meanwhile is VmService's to say.
 */
import https from 'node:https';
import type { Disposable } from '../../base/index.js';
import type { TlsMaterial } from '../../engine/core/index.js';

export interface EngineHeartbeatOptions {
  /** QEMU's own forward of the engine's TLS port (127.0.0.1:port). */
  engine: { port: number; tls: TlsMaterial };
  /** True from the moment the VM begins to go to rest until it is awake again. */
  resting: () => boolean;
}

export class EngineHeartbeat implements Disposable {
  private readonly agent = new https.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(private readonly options: EngineHeartbeatOptions) {}

  async ping(signal: AbortSignal): Promise<void> {
    if (this.options.resting()) return;
    try {
      await this.pingOnce(signal);
    } catch (error) {
      if (this.options.resting()) return;
      throw error;
    }
  }

  dispose(): void {
    this.agent.destroy();
  }

  private pingOnce(signal: AbortSignal): Promise<void> {
    const { port, tls } = this.options.engine;
    return new Promise<void>((resolve, reject) => {
      const request = https.get({ host: '127.0.0.1', port, path: '/_ping', ...tls, agent: this.agent, signal }, (response) => {
        response.resume();
        response.on('end', () =>
          response.statusCode === 200 ? resolve() : reject(new Error(`The engine answered _ping with ${response.statusCode}.`)),
        );
        response.on('error', reject);
      });
      request.on('error', reject);
    });
  }
}
