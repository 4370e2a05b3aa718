/**
 * A boot that stops making progress, or whose kernel crashes, before the guest opens the data disk is
 * started once more, and a second failure fails the start with the console to read. Both are real: the
 * kernel is told to run `sleep` as the initramfs's init, so no BERTH-STEP marker ever comes; or an init
 * that does not exist, so it looks for a root file system it is not given and panics.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { VmState } from './lifecycle/vm-state.js';
import { VmError, VmService } from './vm-service.js';
import { testImageDir } from './testing/test-image.js';

const imageDir = testImageDir();
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vm-stall-'));

describe('a VM boot that stalls early (QEMU)', () => {
  const vm = new VmService({
    stateDir,
    imageDir,
    settings: { cpus: 2, memoryMiB: 512, diskGiB: 1, sharedFolders: [] },
    dockerContext: false,
    // Unknown kernel parameters without "=" become init's arguments: init is `sleep 3600`.
    kernelArgs: ['rdinit=/bin/sleep', '3600'],
    earlyBootStallMs: 4_000,
  });
  const states: VmState[] = [];
  vm.onStateChange((state) => states.push(state));

  afterAll(() => {
    vm.dispose();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('is booted a second time, then reported with both consoles kept and QEMU stopped', async () => {
    const began = performance.now();
    const failure = await vm.start().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(VmError);
    expect((failure as Error).message).toMatch(/kernel stopped making progress \d+ s into its boot.*twice/);
    // Two boots of at least 4 s each.
    expect(performance.now() - began).toBeGreaterThan(8_000);
    expect(vm.state).toMatchObject({ kind: 'error', failure: { during: 'booting-kernel', exitStatus: null } });
    // The second boot is announced with the reason, for the status bar.
    const booting = states.filter((state) => state.kind === 'starting' && state.step === 'booting-kernel');
    expect(booting).toHaveLength(2);
    const retry = booting[1]?.kind === 'starting' ? booting[1].retry : undefined;
    expect(retry).toMatch(/^The first boot stopped making progress after \d+ s; booting again\.$/);
    // The first boot's console is kept apart; the second's is where it always is.
    expect(fs.existsSync(path.join(stateDir, 'console-stalled.log'))).toBe(true);
    expect(fs.existsSync(vm.consoleLogPath)).toBe(true);
    // Nothing of it runs on: a start after the failure gets as far as the stall again, not "already running".
    await expect(vm.start()).rejects.toThrow(/stopped making progress/);
  });
});

describe('a VM boot whose kernel crashes early (QEMU)', () => {
  const crashStateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vm-crash-'));
  const vm = new VmService({
    stateDir: crashStateDir,
    imageDir,
    settings: { cpus: 2, memoryMiB: 512, diskGiB: 1, sharedFolders: [] },
    dockerContext: false,
    // No such init: the kernel falls back to mounting a root it was not given and panics (panic=-1,
    // and QEMU's -no-reboot ends QEMU with exit code 0, as a crash in the kernel's own start does).
    kernelArgs: ['rdinit=/berth-no-such-init'],
  });
  const states: VmState[] = [];
  vm.onStateChange((state) => states.push(state));

  afterAll(() => {
    vm.dispose();
    fs.rmSync(crashStateDir, { recursive: true, force: true });
  });

  it('is booted a second time, then reported as a crash with the first console kept', async () => {
    const failure = await vm.start().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(VmError);
    expect((failure as Error).message).toMatch(
      /^The VM's kernel crashed \d+ s into its boot, before it started the engine \(twice in a row\)/,
    );
    const booting = states.filter((state) => state.kind === 'starting' && state.step === 'booting-kernel');
    expect(booting).toHaveLength(2);
    const retry = booting[1]?.kind === 'starting' ? booting[1].retry : undefined;
    expect(retry).toMatch(/^The first boot's kernel crashed \d+ s in; booting again\.$/);
    expect(fs.readFileSync(path.join(crashStateDir, 'console-crashed.log'), 'utf8')).toContain('Kernel panic');
    expect(vm.state).toMatchObject({ kind: 'error', failure: { during: 'booting-kernel' } });
  });
});
