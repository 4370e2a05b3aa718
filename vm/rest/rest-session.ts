/**
 * Resting for one boot of a QEMU VM: the rest controller, what it drives (QMP, the guest's agent, the
 * engine asked directly) and the TLS port's door, made when the engine first answers and disposed when
 * the VM stops or dies.
 */
import type { Disposable } from '../../base/index.js';
import type { TlsMaterial } from '../../engine/core/index.js';
import { EngineDoor } from './engine-door.js';
import { EngineHeartbeat } from './engine-heartbeat.js';
import { QemuRestMachine, type PausableVm } from './qemu-rest-machine.js';
import { SYSTEM_CLOCK, VmRest, type DoorGate, type RestClock } from './rest-controller.js';

export interface RestSessionOptions {
  vm: PausableVm;
  agentSocketPath: string;
  /** QEMU's own forward of the engine's TLS port (127.0.0.1:port). */
  engine: { port: number; tls: TlsMaterial };
  memoryMiB: number;
  idleMs: () => number;
  clock?: RestClock;
  onRest(since: number): void;
  onWake(wakeMs: number): void;
  onFailed(error: Error): void;
}

export class RestSession implements Disposable {
  private constructor(
    private readonly rest: VmRest,
    private readonly machine: QemuRestMachine,
    private readonly door: EngineDoor,
    private readonly heartbeat: EngineHeartbeat,
  ) {}

  static async open(options: RestSessionOptions): Promise<RestSession> {
    const machine = new QemuRestMachine({
      vm: options.vm,
      agentSocketPath: options.agentSocketPath,
      engine: options.engine,
      memoryMiB: options.memoryMiB,
      clock: options.clock ?? SYSTEM_CLOCK,
    });
    machine.connectAgent();
    const rest = new VmRest({ ...options, machine });
    try {
      const door = await EngineDoor.open({ guestPort: options.engine.port, gate: rest });
      const heartbeat = new EngineHeartbeat({ engine: options.engine, resting: () => rest.resting });
      return new RestSession(rest, machine, door, heartbeat);
    } catch (error) {
      rest.dispose();
      machine.dispose();
      throw error;
    }
  }

  /** Where the engine's TLS endpoint is for everyone but Berth's own internal connections. */
  get port(): number {
    return this.door.port;
  }

  /** The gate the host socket passes its connections through. */
  get gate(): DoorGate {
    return this.rest;
  }

  /** A resting VM is woken (a power-off needs running vCPUs); resolves when it is awake. */
  wakeUp(): Promise<void> {
    return this.rest.enter();
  }

  /** The app's heartbeat, answered without counting as use (engine-heartbeat.ts). */
  heartbeatPing(signal: AbortSignal): Promise<void> {
    return this.heartbeat.ping(signal);
  }

  /** Bytes the balloon took from the guest before the last rest (0 before the first). */
  get memoryGivenBackBytes(): number {
    return this.machine.lastSqueeze?.tookBytes ?? 0;
  }

  settingsChanged(): void {
    this.rest.settingsChanged();
  }

  dispose(): void {
    this.rest.dispose();
    this.door.dispose();
    this.machine.dispose();
    this.heartbeat.dispose();
  }
}
