/**
 * The machine part of the contract's implementation. The app sees the VM through ManagedVm, a narrow
 * view of vm/'s VmService, so this file knows nothing of QEMU and a test can hand it a double.
 */
import { subscribeToQueue } from '../../base/index.js';
import type { Disposable } from '../../base/index.js';
import { EngineError } from '../../engine/core/index.js';
import type { VmState } from '../../vm/lifecycle/vm-state.js';
import type { MachineStatus, VmSettingsInput, VmSettingsView } from '../contract/machine-contract.js';
import type { BerthImplementation } from './implementation.js';

/** What the app needs of its engine VM. */
export interface ManagedVm {
  readonly state: VmState;
  /** Fires on every change of state or of the details in `details()`. */
  onChange(listener: () => void): Disposable;
  details(): Omit<NonNullable<MachineStatus['vm']>, 'state'>;
  /** Which of the VM's forwards holds TCP `port` on this computer, described; null when none does. */
  forwardHolding?(port: number): string | null;
  /** The app's heartbeat to the VM's engine, not through its doors (EngineMachine.heartbeatPing). */
  heartbeatPing?(signal: AbortSignal): Promise<void>;
  /** Resolves once a started container's published ports are forwarded (EngineMachine.forwardsReady). */
  forwardsReady?(containerId: string): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  restart(): Promise<void>;
  factoryReset(): Promise<void>;
  rebuildImage(): Promise<void>;
  settings(): VmSettingsView;
  /**
   * A call found the engine's disk full: details() says so from now on; returns the sentence for it
   * (the disk's size, Prune, vm.diskGiB), or null when the machine has none.
   */
  noteDiskFull(): string | null;
  /** Space was freed (something removed): the disk is no longer known to be full. */
  clearDiskFull(): void;
  updateSettings(settings: VmSettingsInput): Promise<{ settings: VmSettingsInput; needsRestart: boolean }>;
}

/** Where the engine runs: Berth's VM, or an engine the user named (and Berth does not manage). */
export type EngineHost = { kind: 'vm'; description: string; vm: ManagedVm } | { kind: 'external'; description: string };

export function machineStatus(host: EngineHost): MachineStatus {
  if (host.kind === 'external') return { engine: 'external', engineDescription: host.description, vm: null };
  return { engine: 'vm', engineDescription: host.description, vm: { state: host.vm.state, ...host.vm.details() } };
}

/** VM failures are the user's to read: they reach the UI as they are, as a specific error. */
async function vmCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError('engine-error', error instanceof Error ? error.message : String(error));
  }
}

export function createMachineImplementation(host: EngineHost): BerthImplementation['machine'] {
  const requireVm = (): ManagedVm => {
    if (host.kind === 'vm') return host.vm;
    throw new EngineError(
      'invalid-argument',
      `Berth is using the engine you chose (${host.description}), not its VM. Start Berth without --engine and DOCKER_HOST to use the VM.`,
    );
  };

  return {
    status: (_args, _peer, signal) => {
      // keep-latest: a slow page gets the newest status, never a backlog of old ones.
      const options = { capacity: 1, overflow: 'keep-latest', signal, initial: machineStatus(host) } as const;
      return subscribeToQueue<MachineStatus>(options, (queue) =>
        host.kind === 'vm' ? host.vm.onChange(() => queue.push(machineStatus(host))) : null,
      );
    },
    start: () => vmCall(async () => (await requireVm().start(), null)),
    stop: () => vmCall(async () => (await requireVm().stop(), null)),
    restart: () => vmCall(async () => (await requireVm().restart(), null)),
    factoryReset: () => vmCall(async () => (await requireVm().factoryReset(), null)),
    rebuildImage: () => vmCall(async () => (await requireVm().rebuildImage(), null)),
    settings: async () => requireVm().settings(),
    updateSettings: (settings) => vmCall(() => requireVm().updateSettings(settings)),
  };
}
