import { describe, expect, it, vi } from 'vitest';
import { Emitter } from '../../base/index.js';
import type { VmState } from '../../vm/lifecycle/vm-state.js';
import { MachineStatusSchema, type MachineStatus, type VmSettingsInput } from '../contract/machine-contract.js';
import type { PeerContext } from './implementation.js';
import { createMachineImplementation, type ManagedVm } from './machine-api.js';

const peer = {} as PeerContext;

function fakeVm(initial: VmState) {
  const changes = new Emitter<void>();
  let state = initial;
  const vm: ManagedVm = {
    get state() {
      return state;
    },
    onChange: changes.event,
    details: () => ({
      notice: null,
      dockerHost: null,
      dockerContext: null,
      sharedFolders: ['/home/ada'],
      portProblems: {},
      cliPlugins: {
        folder: '~/.docker/cli-plugins',
        plugins: [
          {
            command: 'compose',
            status: 'installed',
            version: '2.26.1-4',
            path: '~/.docker/cli-plugins/docker-compose',
            reason: null,
          },
        ],
        note: null,
      },
      imageNeedsRebuild: false,
      diskFull: null,
      bootSnapshot: { start: 'restored', note: null, storedBytes: 300_000_000, stateMs: 240 },
    }),
    noteDiskFull: () => "Berth's VM disk is full (64 GiB): …",
    clearDiskFull: () => undefined,
    start: vi.fn(async () => {
      throw new Error('QEMU is not installed. Install it with: apt install qemu-system-x86');
    }),
    stop: vi.fn(async () => undefined),
    restart: vi.fn(async () => undefined),
    factoryReset: vi.fn(async () => undefined),
    rebuildImage: vi.fn(async () => undefined),
    settings: () => ({
      settings: { cpus: 2, memoryMiB: 2048, diskGiB: 64, sharedFolders: [], startOnLaunch: true, restAfterMinutes: 5 },
      limits: { maxCpus: 2, maxMemoryMiB: 20_000 },
    }),
    updateSettings: vi.fn(async (settings: VmSettingsInput) => ({ settings, needsRestart: true })),
  };
  const change = (next: VmState) => {
    state = next;
    changes.fire();
  };
  return { vm, change };
}

describe('the machine API', () => {
  it('streams the status now, then the newest after each change, in the contract shape', async () => {
    const { vm, change } = fakeVm({ kind: 'stopped' });
    const controller = new AbortController();
    const status = createMachineImplementation({ kind: 'vm', description: "Berth's VM", vm }).status({}, peer, controller.signal);
    const iterator = status[Symbol.asyncIterator]();
    const next = async (): Promise<MachineStatus> => {
      const result = await iterator.next();
      if (result.done) throw new Error('the status stream ended');
      return MachineStatusSchema.parse(result.value);
    };
    expect((await next()).vm?.state).toEqual({ kind: 'stopped' });
    change({ kind: 'starting', step: 'preparing', stepIndex: 0, stepCount: 5 });
    change({ kind: 'starting', step: 'booting-kernel', stepIndex: 1, stepCount: 5 });
    // keep-latest: a slow reader skips straight to the newest state.
    expect((await next()).vm?.state).toMatchObject({ step: 'booting-kernel' });
    controller.abort();
  });

  it('passes a VM failure on as a specific engine error, not an internal one', async () => {
    const { vm } = fakeVm({ kind: 'stopped' });
    const machine = createMachineImplementation({ kind: 'vm', description: "Berth's VM", vm });
    await expect(machine.start({}, peer)).rejects.toMatchObject({ code: 'engine-error', message: /apt install qemu-system-x86/ });
  });

  it('says which engine is in use when there is no VM to control', async () => {
    const machine = createMachineImplementation({ kind: 'external', description: 'unix:///var/run/docker.sock' });
    await expect(machine.stop({}, peer)).rejects.toMatchObject({
      code: 'invalid-argument',
      message: /unix:\/\/\/var\/run\/docker.sock/,
    });
    const controller = new AbortController();
    const first = await machine.status({}, peer, controller.signal)[Symbol.asyncIterator]().next();
    expect(first.value).toEqual({ engine: 'external', engineDescription: 'unix:///var/run/docker.sock', vm: null });
    controller.abort();
  });
});
