/**
 * The macOS provider's configuration booted for real on this Linux machine: VmService as on an Intel Mac
 * (`host: darwin/x64`: the amd64 image, QEMU found through the macOS profile, shared folders over
 * virtio-9p served by QEMU with no virtiofsd at all), with TCG in place of HVF (there is no
 * Hypervisor.framework here). One boot for the file: a 9p folder both ways, a published port, the host
 * socket and the `berth` docker context.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../engine/testing/free-port.js';
import { busyboxRootTar } from '../engine/testing/test-images.js';
import { waitFor } from '../engine/testing/wait-for.js';
import { qemuExitedError } from './qemu/accelerator.js';
import { EngineVm, QemuExitedError } from './qemu/engine-vm.js';
import { VmError, VmService } from './vm-service.js';
import { printConsoleTailOnFailure } from './testing/console-on-failure.js';
import { loopbackPageBody } from './testing/loopback-page.js';
import { contextCli } from './testing/context-cli.js';
import { testImageDir } from './testing/test-image.js';

const imageDir = testImageDir();
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vm-macos-'));
const dockerConfig = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-docker-config-'));
// A folder name with a space and a comma: QEMU's -fsdev option needs the comma doubled, the guest's list keeps the space.
const shareDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth share, 9p '));
const cli = contextCli(dockerConfig);
const docker = cli.run;
const token = `berth-${Math.random().toString(36).slice(2, 10)}`;
const IMAGE = 'berth-test/busybox-www';

// At file level, so that a run filtered to the refusals (-t) removes them too.
afterAll(() => {
  for (const dir of [stateDir, dockerConfig, shareDir]) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the macOS provider profile (QEMU, 9p folders, TCG in place of HVF)', () => {
  const vm = new VmService({
    stateDir,
    imageDir,
    host: { os: 'darwin', arch: 'x64' },
    accelerator: 'tcg',
    settings: { cpus: 2, memoryMiB: 1024, diskGiB: 4, sharedFolders: [shareDir] },
    dockerContext: { env: cli.env },
  });
  printConsoleTailOnFailure(vm);
  let bootSeconds = 0;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(imageDir, 'vmlinux'))) throw new Error('No VM image: run npm run vm:image first.');
    const began = performance.now();
    await vm.start();
    bootSeconds = (performance.now() - began) / 1000;
    await docker(['import', '-', IMAGE], { input: await busyboxRootTar({ 'www/index.html': token }) });
  });

  afterAll(async () => {
    await vm.stop().catch(() => undefined);
    vm.dispose();
  });

  it('boots under TCG with the folders over 9p and no virtiofsd', async () => {
    console.log(`macOS profile: start() to running ${bootSeconds.toFixed(1)} s`);
    expect(vm.state.kind).toBe('running');
    expect(vm.notice).toMatch(/TCG/);
    expect(vm.sharedFolders).toEqual([shareDir]);
    // No virtiofsd was started: it would have left its socket and log in the state folder (beside QEMU's
    // monitor, the engine's host socket and the rest agent's channel).
    expect(
      fs
        .readdirSync(stateDir)
        .filter((name) => /virtiofsd|\.sock$/.test(name) && !['qmp.sock', 'docker.sock', 'rest.sock'].includes(name)),
    ).toEqual([]);
    // The guest's init mounted it over 9p (berth.shares=9p): a container's bind mount of it is a 9p mount
    // of tag berth0. (statfs would not tell: 9p passes on the host file system's type.)
    expect(fs.readFileSync(vm.consoleLogPath, 'utf8')).not.toMatch(/BERTH-WARN folder/);
    const mountInfo = await docker([
      'run',
      '--rm',
      '-v',
      `${shareDir}:/share`,
      IMAGE,
      'grep',
      ' /share ',
      '/proc/self/mountinfo',
    ]);
    expect(mountInfo).toMatch(/ - 9p berth0 .*trans=virtio/);
  });

  it('shows a container’s writes in the host folder and the host’s writes in the container, through a folder under the share', async () => {
    const sub = path.join(shareDir, 'project');
    fs.mkdirSync(sub);
    fs.writeFileSync(path.join(sub, 'from-host'), `host ${token}\n`);
    const inContainer = (script: string) => docker(['run', '--rm', '-v', `${sub}:/data`, IMAGE, 'sh', '-c', script]);

    // Each container run costs seconds under TCG: one reads and writes, the next sees the host's changes.
    expect(
      await inContainer(
        `cat /data/from-host && echo ${token} > /data/from-container && mkdir -p /data/made/deeper && echo x > /data/made/deeper/f`,
      ),
    ).toBe(`host ${token}`);
    expect(fs.readFileSync(path.join(sub, 'from-container'), 'utf8')).toBe(`${token}\n`);
    expect(fs.readFileSync(path.join(sub, 'made', 'deeper', 'f'), 'utf8')).toBe('x\n');

    // A change on the host after a container read the file, and a folder removed, are seen by the next one.
    fs.writeFileSync(path.join(sub, 'from-host'), `changed ${token}\n`);
    fs.rmSync(path.join(sub, 'made'), { recursive: true });
    expect(await inContainer('cat /data/from-host && ls /data')).toBe(`changed ${token}\nfrom-container\nfrom-host`);
  });

  it('forwards a published port to this computer', async () => {
    const port = await freePort();
    await docker(['run', '-d', '--name', 'berth-web', '-p', `${port}:80`, IMAGE, 'httpd', '-f', '-p', '80', '-h', '/www']);
    expect(await waitFor('the page', () => loopbackPageBody(port))).toBe(token);
    await docker(['rm', '-f', 'berth-web']);
    await waitFor('the forward to go', () => !vm.portForwards().some((forward) => forward.hostPort === port));
  });

  it('serves the engine on the 0600 host socket, named by the `berth` context', async () => {
    const socketPath = path.join(stateDir, 'docker.sock');
    expect(vm.hostSocketPath).toBe(socketPath);
    expect((fs.statSync(socketPath).mode & 0o777).toString(8)).toBe('600');
    expect(vm.dockerContext).toEqual({ status: 'created', name: 'berth', host: `unix://${socketPath}` });
    expect(await docker(['version', '--format', '{{.Server.Os}}'])).toBe('linux');
    expect(await docker(['run', '-i', '--rm', IMAGE, 'cat'], { input: `${token}\n` })).toBe(token);
  });
});

describe('the provider refuses, before QEMU boots anything', () => {
  /** Starts a VmService for that host and returns what start() threw, with the state it left. */
  async function startFailure(host: { os: string; arch: string }): Promise<{ error: unknown; state: string; diskMade: boolean }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vm-refuse-'));
    const vm = new VmService({ stateDir: dir, imageDir, host, settings: { sharedFolders: [] }, dockerContext: false });
    try {
      const error = await vm.start().then(
        () => null,
        (failure: unknown) => failure,
      );
      return { error, state: vm.state.kind, diskMade: fs.existsSync(vm.diskPath) };
    } finally {
      await vm.stop().catch(() => undefined);
      vm.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it('an unsupported host, naming the supported ones', async () => {
    const { error, state } = await startFailure({ os: 'freebsd', arch: 'x64' });
    expect(error).toBeInstanceOf(VmError);
    expect((error as VmError).message).toMatch(/^Berth's engine VM does not run on freebsd \(x64\): it runs on Linux/);
    expect(state).toBe('error');
  });

  it('a Mac whose QEMU has no Hypervisor.framework (this machine’s QEMU, as macOS would find it)', async () => {
    const { error, diskMade } = await startFailure({ os: 'darwin', arch: 'x64' });
    expect(error).toBeInstanceOf(VmError);
    expect(diskMade).toBe(false); // refused with QEMU's own checks, before the image and the disk
    expect((error as VmError).message).toMatch(
      /^This QEMU \(.*qemu-system-x86_64\) cannot use Hypervisor.framework: `-accel help` lists tcg, kvm, not hvf\./,
    );
  });

  it('a QEMU that exits on -accel hvf: at once, as HVF unavailable, not after the monitor’s timeout', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vm-hvf-'));
    fs.writeFileSync(path.join(dir, 'data.raw'), Buffer.alloc(0));
    const began = performance.now();
    const failure = await EngineVm.start({
      kernelPath: path.join(imageDir, 'vmlinux'),
      initrdPath: path.join(imageDir, 'initramfs.img'),
      diskPath: path.join(dir, 'data.raw'),
      diskFormat: 'raw',
      accelerator: 'hvf',
      memoryMiB: 256,
      cpus: 1,
      engineHostPort: await freePort(),
      serialLogPath: path.join(dir, 'console.log'),
      qmpSocketPath: path.join(dir, 'qmp.sock'),
      configFiles: {},
    }).then(
      (vm) => (vm.kill(), null),
      (error: unknown) => error,
    );
    fs.rmSync(dir, { recursive: true, force: true });
    expect(failure).toBeInstanceOf(QemuExitedError);
    expect(performance.now() - began).toBeLessThan(5_000);
    const { exitStatus, stderr } = failure as QemuExitedError;
    expect(qemuExitedError('as it started', exitStatus, stderr).message).toMatch(
      /^Hardware virtualization \(Hypervisor.framework\) is not available to QEMU \(it said: ".*invalid accelerator hvf"\)/,
    );
  });
});
