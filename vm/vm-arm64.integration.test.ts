/**
 * The arm64 VM, a smoke set: the arm64 image (npm run vm:image -- arm64) under qemu-system-aarch64
 * -M virt, emulated (TCG) on this x86-64 host through VmService's guestArch override. The engine
 * answers as aarch64, a container of arm64 busybox runs, its published port answers on this
 * computer's 127.0.0.1, a shared folder carries writes both ways, and the data survives a graceful
 * restart and a SIGKILL of QEMU. One VM for the file: an emulated arm64 boot costs 25-45 s here.
 * On an arm64 host this boots its native guest (KVM where it works).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineConnection } from '../engine/core/index.js';
import { freePort } from '../engine/testing/free-port.js';
import { busyboxRootTar } from '../engine/testing/test-images.js';
import { waitFor } from '../engine/testing/wait-for.js';
import { machineProfile } from './qemu/machine-profile.js';
import { printConsoleTailOnFailure } from './testing/console-on-failure.js';
import { loopbackPageBody } from './testing/loopback-page.js';
import { qemuPidsOf } from './testing/qemu-processes.js';
import { staticBusybox } from './testing/static-busybox.js';
import { HOST_GUEST_ARCH, requireTestImage, testImageDir } from './testing/test-image.js';
import { dockerOnVm } from './testing/vm-docker-cli.js';
import { VmService } from './vm-service.js';

const QEMU = machineProfile('arm64').qemuBinary;
const hasQemu = (() => {
  try {
    execFileSync('sh', ['-c', `command -v ${QEMU}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasQemu) console.warn(`Skipping the arm64 VM tests: no ${QEMU} (tools/setup.sh installs qemu-system-arm).`);

const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vm-arm64-'));
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vm-arm64-work-'));
const shareDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-arm64-share-'));
const token = `berth-${Math.random().toString(36).slice(2, 10)}`;
const IMAGE = 'berth-test/busybox-arm64';
// Emulated arm64 is several times slower than the amd64 guest: boots and container starts alike.
const BOOT_TIMEOUT_MS = 300_000;
const STEP_TIMEOUT_MS = 240_000;

describe.skipIf(!hasQemu)('the arm64 engine VM (qemu-system-aarch64 -M virt)', () => {
  const vm = new VmService({
    stateDir,
    imageDir: testImageDir('arm64'),
    guestArch: 'arm64',
    settings: { cpus: 2, memoryMiB: 1024, diskGiB: 8, sharedFolders: [shareDir] },
    dockerContext: false,
  });
  printConsoleTailOnFailure(vm);
  const readBack = () =>
    dockerOnVm(vm, [
      'run',
      '--rm',
      '-v',
      'berth-data:/data',
      '-v',
      `${shareDir}:/share`,
      IMAGE,
      'cat',
      '/data/token',
      '/share/from-container',
    ]);

  beforeAll(() => requireTestImage('arm64'));

  afterAll(async () => {
    await vm.stop().catch(() => undefined);
    vm.dispose();
    for (const dir of [stateDir, workDir, shareDir]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('boots the arm64 image to an engine that answers as aarch64', { timeout: BOOT_TIMEOUT_MS }, async () => {
    await vm.start();
    expect(vm.state.kind).toBe('running');
    if (HOST_GUEST_ARCH !== 'arm64') expect(vm.notice).toMatch(/an arm64 VM on this x64 computer is emulated/);
    const connection = new EngineConnection(vm.endpoint());
    connection.start();
    await waitFor('the engine connection', () => connection.state.kind === 'connected', { timeoutMs: 30_000 });
    expect(connection.state).toMatchObject({ kind: 'connected', info: { os: 'linux' } });
    connection.dispose();
    expect(await dockerOnVm(vm, ['info', '--format', '{{.Architecture}}'])).toBe('aarch64');
    expect(vm.sharedFolders).toEqual([shareDir]);
  });

  it(
    'runs an arm64 container that writes a volume and the shared folder, and reads the host’s file',
    { timeout: STEP_TIMEOUT_MS },
    async () => {
      // arm64 busybox from the image build's cache; its applets listed by the same version built for this host.
      const busybox = await staticBusybox(path.join(workDir, 'arm64'), 'arm64');
      const lister = await staticBusybox(path.join(workDir, 'host'), HOST_GUEST_ARCH);
      await dockerOnVm(vm, ['import', '-', IMAGE], await busyboxRootTar({ 'www/index.html': token }, busybox, lister));
      fs.writeFileSync(path.join(shareDir, 'from-host'), `host ${token}\n`);
      const script = `uname -m; echo ${token} > /data/token; echo ${token} > /share/from-container; cat /share/from-host`;
      const output = await dockerOnVm(vm, [
        'run',
        '--rm',
        '-v',
        'berth-data:/data',
        '-v',
        `${shareDir}:/share`,
        IMAGE,
        'sh',
        '-c',
        script,
      ]);
      expect(output).toBe(`aarch64\nhost ${token}`);
      expect(fs.readFileSync(path.join(shareDir, 'from-container'), 'utf8')).toBe(`${token}\n`);
    },
  );

  it('forwards a container’s published port to this computer', { timeout: STEP_TIMEOUT_MS }, async () => {
    const port = await freePort();
    await dockerOnVm(vm, [
      'run',
      '-d',
      '--name',
      'berth-www',
      '-p',
      `${port}:80`,
      IMAGE,
      'httpd',
      '-f',
      '-p',
      '80',
      '-h',
      '/www',
    ]);
    try {
      expect(
        await waitFor(`the page on 127.0.0.1:${port}`, () => loopbackPageBody(port), { timeoutMs: 60_000, intervalMs: 200 }),
      ).toBe(token);
    } finally {
      await dockerOnVm(vm, ['rm', '-f', 'berth-www']);
    }
    await waitFor('the forward to go', () => !vm.portForwards().some((forward) => forward.hostPort === port));
  });

  it(
    'powers off gracefully (virt’s power key reaches the guest) and keeps the data across a restart',
    { timeout: BOOT_TIMEOUT_MS },
    async () => {
      await vm.stop();
      // A power-off that timed out is a kill: only the guest's init prints this, after syncing and unmounting.
      expect(vm.consoleTail(5).join('\n')).toMatch(/^BERTH-POWEROFF/m);
      await vm.start();
      expect(vm.state.kind).toBe('running');
      expect(await readBack()).toBe(`${token}\n${token}`);
    },
  );

  it('reports a SIGKILL of QEMU at once, and starts again with the data intact', { timeout: BOOT_TIMEOUT_MS }, async () => {
    const pids = qemuPidsOf(stateDir);
    expect(pids).toHaveLength(1);
    process.kill(pids[0]!, 'SIGKILL');
    await waitFor('the VM to report the crash', () => vm.state.kind === 'error', { timeoutMs: 5_000 });
    expect(vm.state).toMatchObject({ kind: 'error', failure: { during: 'running', exitStatus: 'signal SIGKILL' } });
    await vm.start();
    expect(await readBack()).toBe(`${token}\n${token}`);
  });
});
