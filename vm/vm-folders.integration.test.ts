/**
 * Shared folders, settings, disk growth and factory reset on the real VM (QEMU, TCG here): a container
 * in the VM and the host see each other's writes in a bind-mounted host folder, across a restart; a
 * missing folder is refused before QEMU starts; a bigger disk setting grows the file system; a
 * factory reset leaves an empty engine and the settings as they were.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxRootTar } from '../engine/testing/test-images.js';
import { VmError, VmService } from './vm-service.js';
import { dockerOnVm } from './testing/vm-docker-cli.js';
import { printConsoleTailOnFailure } from './testing/console-on-failure.js';
import type { VmSettings } from './settings/vm-settings.js';
import { requireTestImage, testImageDir } from './testing/test-image.js';

const imageDir = testImageDir();
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vm-folders-'));
// A folder name with a space: the guest's mount list must keep it whole.
const shareDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth share '));
const token = `berth-${Math.random().toString(36).slice(2, 10)}`;
const IMAGE = 'berth-test/busybox';

/** Runs sh -c SCRIPT in a throwaway container with the shared folder bind-mounted at /share. */
const inContainer = (vm: VmService, script: string) =>
  dockerOnVm(vm, ['run', '--rm', '-v', `${shareDir}:/share`, IMAGE, 'sh', '-c', script]);

/** The size in KiB of the file system under the engine's data (what a container's / sits on). */
async function engineDiskKiB(vm: VmService): Promise<number> {
  const line = (await dockerOnVm(vm, ['run', '--rm', IMAGE, 'df', '-k', '/'])).split('\n')[1] ?? '';
  return Number(line.trim().split(/\s+/)[1]);
}

const settings: VmSettings = {
  cpus: 2,
  memoryMiB: 1024,
  diskGiB: 4,
  sharedFolders: [shareDir],
  startOnLaunch: true,
  restAfterMinutes: 5,
};

describe('shared folders, disk growth and factory reset (QEMU)', () => {
  const vm = new VmService({ stateDir, imageDir, dockerContext: false });
  printConsoleTailOnFailure(vm);

  beforeAll(() => {
    requireTestImage();
  });

  afterAll(async () => {
    await vm.stop().catch(() => undefined);
    vm.dispose();
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.rmSync(shareDir, { recursive: true, force: true });
  });

  it('refuses a shared folder that does not exist, in settings and before boot', async () => {
    const missing = path.join(shareDir, 'not-there');
    await expect(vm.updateSettings({ ...settings, sharedFolders: [missing] })).rejects.toThrow(
      `The shared folder ${missing} does not exist.`,
    );
    expect(fs.existsSync(path.join(stateDir, 'settings.json'))).toBe(false);

    // A folder that disappears after it was saved: start refuses it before QEMU is spawned.
    fs.mkdirSync(stateDir, { recursive: true });
    fs.writeFileSync(path.join(stateDir, 'settings.json'), JSON.stringify({ ...settings, sharedFolders: [missing] }));
    const failure = await vm.start().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(VmError);
    expect((failure as VmError).message).toBe(`The shared folder ${missing} does not exist.`);
    expect(vm.state).toMatchObject({ kind: 'error', failure: { during: 'preparing' } });
    expect(fs.existsSync(vm.consoleLogPath)).toBe(false);
  });

  it('shows a container’s writes in the host folder and the host’s writes in the container', async () => {
    expect(await vm.updateSettings(settings)).toEqual({ settings, needsRestart: false });
    await vm.start();
    expect(vm.sharedFolders).toEqual([shareDir]);
    await dockerOnVm(vm, ['import', '-', IMAGE], await busyboxRootTar());

    await inContainer(vm, `echo ${token} > /share/from-container`);
    expect(fs.readFileSync(path.join(shareDir, 'from-container'), 'utf8')).toBe(`${token}\n`);

    fs.writeFileSync(path.join(shareDir, 'from-host'), `host ${token}\n`);
    expect(await inContainer(vm, 'cat /share/from-host')).toBe(`host ${token}`);

    await dockerOnVm(vm, ['volume', 'create', 'berth-keep']);
    const diskBefore = await engineDiskKiB(vm);
    expect(diskBefore).toBeGreaterThan(3 * 1024 * 1024);
    expect(diskBefore).toBeLessThan(4 * 1024 * 1024);
  });

  it('grows the disk to a bigger size at the next start, and the folder is still shared', async () => {
    const bigger = { ...settings, diskGiB: 6 };
    expect(await vm.updateSettings(bigger)).toEqual({ settings: bigger, needsRestart: true });
    await vm.restart();

    const diskAfter = await engineDiskKiB(vm);
    expect(diskAfter).toBeGreaterThan(5 * 1024 * 1024);
    expect(diskAfter).toBeLessThan(6 * 1024 * 1024);
    expect(await dockerOnVm(vm, ['volume', 'ls', '-q'])).toBe('berth-keep');

    expect(await inContainer(vm, 'cat /share/from-container /share/from-host')).toBe(`${token}\nhost ${token}`);
    await inContainer(vm, 'echo again > /share/after-restart');
    expect(fs.readFileSync(path.join(shareDir, 'after-restart'), 'utf8')).toBe('again\n');
  });

  it('records a smaller disk size that still holds the data, without shrinking the disk', async () => {
    // (Below the data itself it is refused: vm-settings.test.ts. Here the data is far below 1 GiB.)
    const smaller = { ...settings, diskGiB: 5 };
    expect(await vm.updateSettings(smaller)).toEqual({ settings: smaller, needsRestart: false });
    await expect(vm.updateSettings({ ...settings, diskGiB: 0 })).rejects.toThrow(/whole number of GiB/);
    expect(await engineDiskKiB(vm)).toBeGreaterThan(5 * 1024 * 1024);
  });

  it('factory reset leaves an empty engine and keeps settings and TLS', async () => {
    const caBefore = fs.readFileSync(path.join(vm.tlsDir, 'ca.pem'), 'utf8');
    await vm.factoryReset();
    expect(vm.state.kind).toBe('stopped');
    expect(fs.existsSync(vm.diskPath)).toBe(false);

    await vm.start();
    expect(await dockerOnVm(vm, ['volume', 'ls', '-q'])).toBe('');
    expect(await dockerOnVm(vm, ['image', 'ls', '-q'])).toBe('');
    expect(fs.readFileSync(path.join(vm.tlsDir, 'ca.pem'), 'utf8')).toBe(caBefore);
    expect(vm.settings().settings).toEqual({ ...settings, diskGiB: 5 });
    // The new disk has the size now in the settings.
    await dockerOnVm(vm, ['import', '-', IMAGE], await busyboxRootTar());
    const diskNow = await engineDiskKiB(vm);
    expect(diskNow).toBeGreaterThan(4 * 1024 * 1024);
    expect(diskNow).toBeLessThan(5 * 1024 * 1024);
    // The host folder itself is untouched by a reset.
    expect(fs.readFileSync(path.join(shareDir, 'from-container'), 'utf8')).toBe(`${token}\n`);
  });
});
