/**
 * Berth's init as WSL runs it (`/usr/lib/berth/init --wsl`), from the built rootfs.tar, on this Linux
 * host: the tar extracted, in new mount, network and pid namespaces with what WSL mounts before a
 * distribution's process runs (/proc, /sys, /dev, cgroup2, a tmpfs /run), the configuration where
 * WslMachine writes it. It must reach BERTH-READY without touching modules, disks or the network
 * set-up, serve _ping over mutual TLS on 127.0.0.1:<engine-port> only, and stop on SIGTERM to the pid
 * in /run/berth/init.pid with BERTH-POWEROFF and exit 0. Needs root, unshare, nsenter and curl (as
 * the other VM tests do, in CI).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LineSplitter } from '../../base/index.js';
import { ensureTlsMaterial } from '../host/tls-material.js';
import { ROOTFS_TAR } from '../image/rootfs-tar.js';
import { testImageDir } from '../testing/test-image.js';
import { wslCommands } from './wsl-commands.js';

const tarPath = path.join(testImageDir(), ROOTFS_TAR);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-init-wsl-'));
// This run's own installation TLS material, made as a start makes it.
const tlsDir = path.join(work, 'tls');
const root = path.join(work, 'root');
const ENGINE_PORT = 42376;
let unsharePid: number | undefined;

/** What WSL has done before it runs a command in a distribution, then Berth's init as wsl.exe --exec would. */
const NAMESPACE_SETUP = `
set -e
R=${root}
mount --make-rprivate /
mount -t proc proc $R/proc
mount -t sysfs sysfs $R/sys
mount --rbind /dev $R/dev
mount -t cgroup2 cgroup2 $R/sys/fs/cgroup
mount -t tmpfs tmpfs $R/run
mount -t tmpfs tmpfs $R/var/lib/docker
ip link set lo up
exec chroot $R /usr/lib/berth/init --wsl
`;

afterAll(() => {
  if (unsharePid) {
    try {
      process.kill(unsharePid, 'SIGKILL'); // its pid namespace (init, dockerd, containerd) goes with it
    } catch {
      // already gone
    }
  }
  fs.rmSync(work, { recursive: true, force: true });
});

function curlInNamespace(pid: number, ...args: string[]): string {
  try {
    return execFileSync('nsenter', ['-t', String(pid), '-n', 'curl', '-s', '--max-time', '10', ...args], { encoding: 'utf8' });
  } catch (error) {
    return `curl failed: ${(error as { status?: number }).status}`;
  }
}

describe('init.sh --wsl', () => {
  it('starts the engine on 127.0.0.1:PORT with mutual TLS and stops on SIGTERM', async () => {
    if (process.getuid?.() !== 0) throw new Error('This test needs root (namespaces, chroot), as the VM tests run in CI.');
    if (!fs.existsSync(tarPath)) throw new Error(`No ${tarPath}: run npm run vm:image first.`);
    await ensureTlsMaterial(tlsDir);
    fs.mkdirSync(root);
    execFileSync('tar', ['-C', root, '-xf', tarPath]);
    const config = path.join(root, 'var', 'lib', 'berth', 'config');
    fs.mkdirSync(config, { recursive: true, mode: 0o700 });
    for (const name of ['ca.pem', 'server-cert.pem', 'server-key.pem'])
      fs.copyFileSync(path.join(tlsDir, name), path.join(config, name));
    fs.writeFileSync(path.join(config, 'engine-port'), `${ENGINE_PORT}\n`);

    const child = spawn('unshare', ['--mount', '--net', '--pid', '--fork', 'sh', '-c', NAMESPACE_SETUP], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    unsharePid = child.pid;
    const lines: string[] = [];
    const waiters: Array<() => void> = [];
    const splitter = new LineSplitter();
    const take = (chunk: Buffer) => {
      lines.push(...splitter.push(chunk.toString()));
      for (const wake of waiters.splice(0)) wake();
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const waitForLine = async (pattern: RegExp, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (!lines.some((line) => pattern.test(line))) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`no ${String(pattern)}; init printed:\n${lines.join('\n')}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 500).unref();
        });
      }
    };

    await waitForLine(/^BERTH-READY /, 90_000);
    expect(lines.filter((line) => line.startsWith('BERTH-ERROR'))).toEqual([]);
    // Steps it printed: no modules step (WSL's kernel), the network step without touching eth0.
    expect(lines.filter((line) => line.startsWith('BERTH-STEP')).map((line) => line.split(' ')[1])).toEqual([
      'rootfs',
      'config',
      'disk',
      'engine',
      'network',
    ]);

    const initPid = Number(fs.readFileSync(`/proc/${unsharePid}/task/${unsharePid}/children`, 'utf8').trim().split(' ')[0]);
    const tls = ['--cacert', path.join(tlsDir, 'ca.pem')];
    const client = [...tls, '--cert', path.join(tlsDir, 'cert.pem'), '--key', path.join(tlsDir, 'key.pem')];
    expect(curlInNamespace(initPid, ...client, `https://127.0.0.1:${ENGINE_PORT}/_ping`)).toBe('OK');
    expect(curlInNamespace(initPid, ...tls, `https://127.0.0.1:${ENGINE_PORT}/_ping`)).toMatch(/^curl failed/); // no client certificate
    const listening = execFileSync('nsenter', ['-t', String(initPid), '-n', 'ss', '-ltn'], { encoding: 'utf8' });
    expect(listening).toContain(`127.0.0.1:${ENGINE_PORT}`);
    expect(listening).not.toContain(`0.0.0.0:${ENGINE_PORT}`);

    // WslMachine's stop: SIGTERM to the pid init wrote, from another process in the distribution.
    execFileSync('nsenter', [
      '-t',
      String(initPid),
      '-m',
      '-p',
      'chroot',
      root,
      '/bin/sh',
      '-c',
      wslCommands().requestStop.at(-1)!,
    ]);
    await waitForLine(/^BERTH-POWEROFF /, 60_000);
    expect(await exited).toBe(0);
    unsharePid = undefined;
  });
});
