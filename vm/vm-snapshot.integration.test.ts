/**
 * Boot snapshots for real (vm/snapshot/), on QEMU 8.2 or newer (here bookworm-backports' QEMU 10, unpacked
 * by tools/setup.sh: Debian 12's 7.2 cannot): the first start boots cold and saves the VM where its engine
 * waits for its configuration; the next starts restore it without booting, with the engine's data, the
 * host's clock and a fresh random seed; a snapshot QEMU cannot load, or one that no longer fits the VM's
 * settings, is deleted with a note and the VM boots cold, its data untouched.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxRootTar } from '../engine/testing/test-images.js';
import type { VmState } from './lifecycle/vm-state.js';
import { newerQemuDir } from './qemu/newer-qemu.js';
import { printConsoleTailOnFailure } from './testing/console-on-failure.js';
import { requireTestImage, testImageDir } from './testing/test-image.js';
import { dockerOnVm } from './testing/vm-docker-cli.js';
import { VmService } from './vm-service.js';

const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vm-snapshot-'));
// Shared as the home folder is by default (virtiofs): its virtiofsd hands its state over with the VM's.
const sharedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vm-snapshot-shared-'));
const projectRoot = path.resolve(import.meta.dirname, '..');
const IMAGE = 'berth-test/busybox';

describe('boot snapshots (QEMU 8.2 or newer)', () => {
  const settings = { cpus: 2, memoryMiB: 1024, diskGiB: 8, sharedFolders: [sharedDir] };
  const vm = new VmService({
    stateDir,
    imageDir: testImageDir(),
    qemuDir: newerQemuDir(projectRoot),
    settings,
    dockerContext: false,
  });
  printConsoleTailOnFailure(vm);
  const steps: string[] = [];
  vm.onStateChange((state: VmState) => {
    if (state.kind === 'starting') steps.push(state.step);
  });
  const figures: string[] = [];
  const timedStart = async (): Promise<number> => {
    steps.length = 0;
    const began = Date.now();
    await vm.start();
    return Date.now() - began;
  };
  /** The guest's clock (whole seconds, read in a container) and the host's before and after the read. */
  const clocks = async (): Promise<{ guest: number; before: number; after: number }> => {
    const before = Date.now() / 1000;
    const guest = Number((await dockerOnVm(vm, ['run', '--rm', IMAGE, 'date', '+%s'])).trim());
    return { guest, before, after: Date.now() / 1000 };
  };
  const randomOfGuest = () => dockerOnVm(vm, ['run', '--rm', IMAGE, 'sh', '-c', 'head -c 16 /dev/urandom | od -An -tx1']);

  beforeAll(() => requireTestImage());

  afterAll(async () => {
    console.log(`boot snapshot figures:\n  ${figures.join('\n  ')}`);
    await vm.stop().catch(() => undefined);
    vm.dispose();
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.rmSync(sharedDir, { recursive: true, force: true });
  });

  it('saves the VM on the first start and restores it on the next, with the data, the clock and a fresh seed', async () => {
    const coldMs = await timedStart();
    // Not saved means this machine's QEMU is too old and newer-qemu.sh has not run: the note says so.
    expect(vm.bootSnapshot, vm.bootSnapshot?.note ?? '').toMatchObject({ start: 'saved', note: null });
    expect(vm.bootSnapshot!.storedBytes).toBeGreaterThan(50 * 1024 * 1024);
    figures.push(`first start ${coldMs} ms, saved ${vm.bootSnapshot!.storedBytes >> 20} MiB in ${vm.bootSnapshot!.stateMs} ms`);
    await dockerOnVm(vm, ['import', '-', IMAGE], await busyboxRootTar());
    await dockerOnVm(vm, ['run', '--rm', '-v', 'kept:/data', IMAGE, 'sh', '-c', 'echo written-before-restore > /data/file']);
    await vm.stop();

    // The snapshot's clock is that of the first boot: without the resume line it would be behind by
    // everything since (the container above, the stop), well over the second allowed below.
    const restoredMs = await timedStart();
    expect(vm.bootSnapshot).toMatchObject({ start: 'restored', note: null });
    expect(steps).toContain('restoring');
    expect(steps).not.toContain('booting-kernel');
    expect(vm.consoleTail(200).join('\n')).toContain('resume-seed: clock set, 512 bits added, random pool reseeded');
    // The shared folder, mounted after the restore: a file the host wrote since the save is there, and
    // one the guest writes reaches the host.
    fs.writeFileSync(path.join(sharedDir, 'from-host'), 'written on the host after the save\n');
    expect(
      await dockerOnVm(vm, [
        'run',
        '--rm',
        '-v',
        `${sharedDir}:/shared`,
        IMAGE,
        'sh',
        '-c',
        'cat /shared/from-host && echo hi > /shared/from-guest',
      ]),
    ).toContain('written on the host after the save');
    expect(fs.readFileSync(path.join(sharedDir, 'from-guest'), 'utf8')).toBe('hi\n');
    expect(await dockerOnVm(vm, ['run', '--rm', '-v', 'kept:/data', IMAGE, 'cat', '/data/file'])).toContain(
      'written-before-restore',
    );
    const { guest, before, after } = await clocks();
    expect(guest).toBeGreaterThanOrEqual(Math.floor(before) - 1);
    expect(guest).toBeLessThanOrEqual(after + 1);
    const firstRandom = await randomOfGuest();
    await dockerOnVm(vm, ['run', '--rm', '-v', 'kept:/data', IMAGE, 'sh', '-c', 'echo written-after-restore >> /data/file']);
    await vm.stop();

    // A second restore of the same snapshot: the same memory, but not the same random numbers.
    const againMs = await timedStart();
    expect(vm.bootSnapshot).toMatchObject({ start: 'restored' });
    expect(await randomOfGuest()).not.toBe(firstRandom);
    expect((await dockerOnVm(vm, ['run', '--rm', '-v', 'kept:/data', IMAGE, 'cat', '/data/file'])).trim()).toBe(
      'written-before-restore\nwritten-after-restore',
    );
    figures.push(`restored starts ${restoredMs} and ${againMs} ms (state loaded in ${vm.bootSnapshot!.stateMs} ms)`);
    await vm.stop();
  }, 600_000);

  it('deletes a snapshot QEMU refuses, says so, and boots cold on the same disk', async () => {
    await vm.stop(); // after a failure above
    const state = path.join(stateDir, 'snapshot', 'machine.state');
    // Its header damaged, its size as saved: only QEMU can tell.
    const file = fs.openSync(state, 'r+');
    fs.writeSync(file, Buffer.alloc(16, 0x5a), 0, 16, 0);
    fs.closeSync(file);
    await timedStart();
    expect(steps).toContain('restoring');
    expect(steps).toContain('booting-kernel');
    // Booted cold, and saved a new one for the next start.
    expect(vm.bootSnapshot?.start).toBe('saved');
    expect(vm.bootSnapshot?.note).toMatch(
      /^The VM's boot snapshot could not be restored \(QEMU could not load the VM's state.*\); it was deleted, and the VM booted cold\.$/,
    );
    expect(vm.state).toMatchObject({ kind: 'running' });
    expect(await dockerOnVm(vm, ['run', '--rm', '-v', 'kept:/data', IMAGE, 'cat', '/data/file'])).toContain(
      'written-after-restore',
    );
    await vm.stop();
  }, 600_000);

  it('deletes a snapshot that no longer fits the settings, with a note naming why', async () => {
    await vm.stop(); // after a failure above
    await vm.updateSettings({ ...vm.settings().settings, memoryMiB: 1280 });
    const other = new VmService({
      stateDir,
      imageDir: testImageDir(),
      qemuDir: newerQemuDir(projectRoot),
      settings: { ...settings, memoryMiB: 1280 },
      dockerContext: false,
    });
    try {
      await other.start();
      expect(other.bootSnapshot).toMatchObject({
        start: 'saved',
        note: "The VM's boot snapshot was deleted: the VM's settings (memory, CPUs, folders or disk) have changed since it was made.",
      });
    } finally {
      await other.stop();
      other.dispose();
    }
  }, 600_000);
});
