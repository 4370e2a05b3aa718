/**
 * RestMachine for a QEMU VM: the engine asked directly on QEMU's forward (not through a door, so the
 * question is not activity), the guest's rest agent for its processes, page cache, free memory and
 * clock, QMP's balloon for giving memory back (memory-squeeze.ts) and QMP stop/cont for the vCPUs.
 */
import https from 'node:https';
import type { Disposable } from '../../base/index.js';
import type { TlsMaterial } from '../../engine/core/index.js';
import { GuestRestAgent } from './guest-agent.js';
import { squeezeFreeMemory, type SqueezeResult } from './memory-squeeze.js';
import type { RestClock, RestMachine } from './rest-controller.js';

/** The running VM as resting needs it (EngineVm). */
export interface PausableVm {
  pause(): Promise<void>;
  resume(): Promise<void>;
  setBalloonTarget(bytes: number): Promise<void>;
  onBalloonChange(listener: (actualBytes: number) => void): () => void;
}

export interface QemuRestMachineOptions {
  vm: PausableVm;
  /** QEMU's unix socket for the guest's rest agent. */
  agentSocketPath: string;
  /** The engine on QEMU's own forward (127.0.0.1:port), with this installation's client certificate. */
  engine: { port: number; tls: TlsMaterial };
  /** The VM's memory (-m), what the balloon is let out to after a squeeze. */
  memoryMiB: number;
  clock: RestClock;
}

/** Left to the guest in a squeeze, for what runs first after a wake. */
const SQUEEZE_MARGIN_BYTES = 64 * 1024 * 1024;

const ENGINE_TIMEOUT_MS = 10_000;

export class QemuRestMachine implements RestMachine, Disposable {
  private agentConnection: Promise<GuestRestAgent> | null = null;
  /** What the last rest's squeeze gave back (null before the first). */
  lastSqueeze: SqueezeResult | null = null;

  constructor(private readonly options: QemuRestMachineOptions) {}

  /**
   * Connects to the guest's agent now and keeps the connection: while the host end is closed the agent
   * looks again every second, which would cost an awake guest a process start a second.
   */
  connectAgent(): void {
    // The guest took its clock from the RTC at boot, in whole seconds and a boot ago: set it now too.
    void this.syncClock().catch(() => undefined);
  }

  async runningContainers(): Promise<number> {
    // Without all=1 the engine lists running containers, paused and restarting ones among them.
    const body = await getJson(this.options.engine, '/containers/json');
    if (!Array.isArray(body)) throw new Error('The engine answered /containers/json with something else than a list.');
    return body.length;
  }

  async containerProcesses(): Promise<number | null> {
    return (await this.agent()).containerProcesses();
  }

  async dropCaches(): Promise<void> {
    await (await this.agent()).dropCaches();
  }

  async giveBackMemory(signal: AbortSignal): Promise<SqueezeResult> {
    const { vm, memoryMiB, clock } = this.options;
    const free = (await (await this.agent()).memFreeKiB()) * 1024;
    this.lastSqueeze = await squeezeFreeMemory({
      balloon: { setTarget: (bytes) => vm.setBalloonTarget(bytes), onChange: (listener) => vm.onBalloonChange(listener) },
      fullBytes: memoryMiB * 1024 * 1024,
      takeBytes: free - SQUEEZE_MARGIN_BYTES,
      clock,
      signal,
    });
    return this.lastSqueeze;
  }

  pause(): Promise<void> {
    return this.options.vm.pause();
  }

  resume(): Promise<void> {
    return this.options.vm.resume();
  }

  async syncClock(): Promise<void> {
    await (await this.agent()).setClock(Date.now());
  }

  dispose(): void {
    void this.agentConnection?.then((agent) => agent.dispose()).catch(() => undefined);
    this.agentConnection = null;
  }

  /** Connected once and kept; connected again after a timeout closed it. */
  private async agent(): Promise<GuestRestAgent> {
    const current = this.agentConnection ? await this.agentConnection.catch(() => null) : null;
    if (current && !current.isClosed) return current;
    this.agentConnection = GuestRestAgent.connect(this.options.agentSocketPath);
    return this.agentConnection;
  }
}

function getJson(engine: { port: number; tls: TlsMaterial }, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = https.get(
      { host: '127.0.0.1', port: engine.port, path, ...engine.tls, agent: false, timeout: ENGINE_TIMEOUT_MS },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          if (response.statusCode !== 200) return reject(new Error(`The engine answered ${path} with ${response.statusCode}.`));
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(new Error(`The engine's answer to ${path} is not JSON.`));
          }
        });
      },
    );
    request.on('error', reject);
    request.on('timeout', () => request.destroy(new Error(`The engine did not answer ${path} within ${ENGINE_TIMEOUT_MS} ms.`)));
  });
}
