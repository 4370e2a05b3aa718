/** What `status`, `context` and `open` read from a running Berth: its info, the machine and the engine connection, now. */
import type { AppInfo } from '../contract/app-contract.js';
import type { BerthClient } from '../contract/client.js';
import { VM_STEP_LABELS, type MachineStatus } from '../contract/machine-contract.js';
import type { ConnectionState } from '../../engine/core/connection-state.js';
import { currentItem } from './streams.js';

export interface BerthSnapshot {
  app: AppInfo;
  machine: MachineStatus;
  engine: ConnectionState;
}

export async function readSnapshot(client: BerthClient): Promise<BerthSnapshot> {
  const [app, machine, engine] = await Promise.all([
    client.app.info({}),
    currentItem(client.machine.status.bind(client.machine), 'the machine status'),
    currentItem(client.engine.state.bind(client.engine), 'the engine state'),
  ]);
  return { app, machine, engine };
}

/** The DOCKER_HOST that reaches Berth's engine, or null while there is none (the VM is stopped). */
export function dockerHostOf(snapshot: Pick<BerthSnapshot, 'machine' | 'engine'>): string | null {
  if (snapshot.machine.vm) return snapshot.machine.vm.dockerHost;
  return 'endpoint' in snapshot.engine ? snapshot.engine.endpoint : null;
}

export function describeVm(machine: MachineStatus): string {
  const vm = machine.vm;
  if (!vm) return `not used (the engine is ${machine.engineDescription})`;
  const state = vm.state;
  switch (state.kind) {
    case 'running':
      return `running (booted in ${(state.bootMs / 1000).toFixed(1)} s)`;
    case 'resting':
      return 'resting (paused to save CPU and memory; wakes on the next request)';
    case 'starting':
      return `starting: ${VM_STEP_LABELS[state.step]} (step ${state.stepIndex + 1} of ${state.stepCount})`;
    case 'error':
      return `failed while ${state.failure.during}: ${state.failure.message}`;
    default:
      return state.kind;
  }
}

export function describeEngine(engine: ConnectionState): string {
  switch (engine.kind) {
    case 'connected': {
      const { version, apiVersion, os, arch } = engine.info;
      return `connected: Docker ${version} (API ${apiVersion}, ${os}/${arch}) at ${engine.endpoint}`;
    }
    case 'connecting':
      return `connecting to ${engine.endpoint} (attempt ${engine.attempt})`;
    case 'unreachable':
      return `unreachable at ${engine.endpoint}: ${engine.reason}`;
    default:
      return engine.kind;
  }
}
