// Boot smoke test of the engine VM image: boots it twice on one data disk and proves, over mutual TLS,
// that the engine answers, refuses a client without a certificate, runs a container, and keeps a
// volume across a graceful power-off. Prints the timings and writes them to <work>/result.json.
//
// Usage: npx tsx vm/testing/boot-smoke.ts [--arch amd64|arm64] [--image DIR] [--tls DIR] [--work DIR]
// (--arch: the guest's architecture, by default the host CPU's; --image defaults to vm/.build/image/ARCH)
// (vm/testing/boot-smoke.sh builds the image first; the TLS material is made here, or kept, as a start does.)
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ensureTlsMaterial } from '../host/tls-material.js';
import { probeAccelerator } from '../qemu/accelerator.js';
import { EngineVm } from '../qemu/engine-vm.js';
import { staticBusybox } from './static-busybox.js';
import { guestArchForHost, isGuestArch, machineProfile, type GuestArch } from '../qemu/machine-profile.js';
import type { EngineVmConfig } from '../qemu/qemu-args.js';
import { busyboxRootTar } from '../../engine/testing/test-images.js';
import { freeLoopbackPort, hostTscKhz } from '../qemu/host-facts.js';

const VM_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const READY_TIMEOUT_MS = 180_000;
const POWEROFF_TIMEOUT_MS = 60_000;

interface Tls {
  dir: string;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

interface BootTimes {
  readyMs: number;
  firstPingMs: number;
  guestReadyUptime: string;
  poweroffMs?: number;
}

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 && process.argv[index + 1] ? path.resolve(process.argv[index + 1]!) : fallback;
}

function run(command: string, args: string[], input?: Buffer): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
    });
    if (input) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

function ping(port: number, tls: Tls): Promise<boolean> {
  return new Promise((resolve) => {
    const request = https.request(
      { host: '127.0.0.1', port, path: '/_ping', ca: tls.ca, cert: tls.cert, key: tls.key, agent: false, timeout: 10_000 },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode === 200));
      },
    );
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
    request.end();
  });
}

/**
 * A new attempt every 100 ms, several in flight: one attempt can stall on a SYN retransmit (1 s) or a
 * TLS handshake under TCG, and a strictly sequential poll would then overstate the time to first _ping.
 */
async function waitForPing(vm: EngineVm, port: number, tls: Tls): Promise<number> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  let firstSuccess: number | undefined;
  let inFlight = 0;
  while (firstSuccess === undefined && performance.now() < deadline && vm.running) {
    if (inFlight < 5) {
      inFlight++;
      void ping(port, tls).then((ok) => {
        inFlight--;
        if (ok && firstSuccess === undefined) firstSuccess = performance.now() - vm.startedAt;
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (firstSuccess === undefined) throw new Error('engine never answered _ping');
  return firstSuccess;
}

class Docker {
  constructor(
    private readonly port: number,
    private readonly tls: Tls,
  ) {}

  async run(args: string[], input?: Buffer): Promise<string> {
    const t = this.tls.dir;
    const base = ['--tlsverify', `--tlscacert=${t}/ca.pem`, `--tlscert=${t}/cert.pem`, `--tlskey=${t}/key.pem`];
    const result = await run('docker', [...base, '-H', `tcp://127.0.0.1:${this.port}`, ...args], input);
    if (result.code !== 0) throw new Error(`docker ${args.join(' ')} failed (${result.code}): ${result.stderr.trim()}`);
    return result.stdout.trim();
  }
}

async function boot(config: EngineVmConfig, tls: Tls): Promise<{ vm: EngineVm; times: BootTimes }> {
  const vm = await EngineVm.start(config);
  try {
    const [readyMs, firstPingMs] = await Promise.all([
      vm.waitForMarker('BERTH-READY', READY_TIMEOUT_MS),
      waitForPing(vm, config.engineHostPort, tls),
    ]);
    const guestReadyUptime = /^BERTH-READY t=(\S+)/m.exec(vm.serialLog())?.[1] ?? '?';
    return { vm, times: { readyMs, firstPingMs, guestReadyUptime } };
  } catch (error) {
    vm.kill();
    throw error;
  }
}

async function shutdown(vm: EngineVm, times: BootTimes): Promise<void> {
  times.poweroffMs = await vm.powerOff(POWEROFF_TIMEOUT_MS);
  if (!/^BERTH-POWEROFF/m.test(vm.serialLog())) throw new Error('powered off without BERTH-POWEROFF (unclean)');
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`check failed: ${what}`);
  console.log(`  ok  ${what}`);
}

async function main(): Promise<void> {
  const archOption = process.argv[process.argv.indexOf('--arch') + 1] ?? '';
  const arch: GuestArch | null = process.argv.includes('--arch')
    ? isGuestArch(archOption)
      ? archOption
      : null
    : guestArchForHost();
  if (!arch) throw new Error(`--arch is amd64 or arm64 (host: ${process.arch})`);
  const imageDir = option('--image', path.join(VM_DIR, '.build', 'image', arch));
  const tlsDir = option('--tls', path.join(VM_DIR, '.build', 'tls'));
  const workDir = option('--work', path.join(VM_DIR, '.build', 'smoke'));
  const kernelFile = path.join(imageDir, machineProfile(arch).kernelFile);
  const kernelPath = fs.existsSync(kernelFile) || arch !== 'amd64' ? kernelFile : path.join(imageDir, 'bzImage');
  await ensureTlsMaterial(tlsDir);
  const tls: Tls = {
    dir: tlsDir,
    ca: fs.readFileSync(path.join(tlsDir, 'ca.pem')),
    cert: fs.readFileSync(path.join(tlsDir, 'cert.pem')),
    key: fs.readFileSync(path.join(tlsDir, 'key.pem')),
  };
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });

  const accel = await probeAccelerator(kernelPath, { guestArch: arch });
  console.log(`accelerator: ${accel.accelerator} (${accel.reason})`);
  const diskPath = path.join(workDir, 'data.qcow2');
  const created = await run('qemu-img', ['create', '-q', '-f', 'qcow2', diskPath, '16G']);
  if (created.code !== 0) throw new Error(`qemu-img create: ${created.stderr}`);
  fs.writeFileSync(path.join(workDir, 'time'), String(Math.floor(Date.now() / 1000)));
  const port = await freeLoopbackPort();
  const config = (serialLog: string): EngineVmConfig => ({
    guestArch: arch,
    kernelPath,
    initrdPath: path.join(imageDir, 'initramfs.img'),
    rootImagePath: path.join(imageDir, 'rootfs.img'),
    diskPath,
    diskFormat: 'qcow2',
    accelerator: accel.accelerator,
    memoryMiB: 2048,
    cpus: 2,
    engineHostPort: port,
    serialLogPath: path.join(workDir, serialLog),
    qmpSocketPath: path.join(workDir, 'qmp.sock'),
    configFiles: {
      'ca.pem': path.join(tlsDir, 'ca.pem'),
      'server-cert.pem': path.join(tlsDir, 'server-cert.pem'),
      'server-key.pem': path.join(tlsDir, 'server-key.pem'),
      time: path.join(workDir, 'time'),
    },
    tscKhz: hostTscKhz(),
  });
  const docker = new Docker(port, tls);
  const token = `berth-${Date.now()}`;
  const result: Record<string, unknown> = { arch, accelerator: accel.accelerator, hostPort: port };

  console.log('boot 1 (empty disk: the guest formats it)');
  const first = await boot(config('serial-1.log'), tls);
  try {
    const version = await docker.run(['version', '--format', '{{.Server.Version}}']);
    check(version.length > 0, `docker version over mutual TLS: server ${version}`);
    const noCert = await run('curl', [
      '-sS',
      '-m',
      '10',
      '--cacert',
      path.join(tlsDir, 'ca.pem'),
      `https://127.0.0.1:${port}/_ping`,
    ]);
    check(noCert.code !== 0, `curl without a client certificate is refused (${noCert.stderr.trim() || `exit ${noCert.code}`})`);
    const insecure = await run('curl', ['-sS', '-m', '10', `http://127.0.0.1:${port}/_ping`]);
    check(!insecure.stdout.includes('OK'), 'plain HTTP gets no answer from the engine');
    const importStart = performance.now();
    await docker.run(
      ['import', '-', 'berth-test/busybox'],
      await busyboxRootTar(
        {},
        await staticBusybox(path.join(workDir, 'guest'), arch),
        await staticBusybox(path.join(workDir, 'host'), guestArchForHost() ?? 'amd64'),
      ),
    );
    const runStart = performance.now();
    const hello = await docker.run(['run', '--rm', 'berth-test/busybox', 'echo', 'hello']);
    result.containerRunMs = Math.round(performance.now() - runStart);
    result.importMs = Math.round(runStart - importStart);
    check(hello === 'hello', `docker run --rm berth-test/busybox echo hello -> ${hello}`);
    await docker.run(['volume', 'create', 'berth-smoke']);
    await docker.run(['run', '--rm', '-v', 'berth-smoke:/data', 'berth-test/busybox', 'sh', '-c', `echo ${token} > /data/token`]);
    check(true, 'wrote a token into volume berth-smoke');
    await shutdown(first.vm, first.times);
    check(true, `graceful power-off in ${Math.round(first.times.poweroffMs ?? 0)} ms`);
  } finally {
    first.vm.kill();
  }

  console.log('boot 2 (same disk: e2fsck -p, then mount)');
  const second = await boot(config('serial-2.log'), tls);
  try {
    const readBack = await docker.run(['run', '--rm', '-v', 'berth-smoke:/data', 'berth-test/busybox', 'cat', '/data/token']);
    check(readBack === token, `volume content survived the power-off (${readBack})`);
    await shutdown(second.vm, second.times);
    check(true, `graceful power-off in ${Math.round(second.times.poweroffMs ?? 0)} ms`);
  } finally {
    second.vm.kill();
  }

  const round = (t: BootTimes) => ({
    readyMs: Math.round(t.readyMs),
    firstPingMs: Math.round(t.firstPingMs),
    guestReadyUptime: t.guestReadyUptime,
    poweroffMs: Math.round(t.poweroffMs ?? 0),
  });
  Object.assign(result, { firstBoot: round(first.times), secondBoot: round(second.times) });
  fs.writeFileSync(path.join(workDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  console.log('boot smoke: all checks passed');
}

main().catch((error: unknown) => {
  console.error(`boot smoke FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
