/**
 * The engine VM for real: QEMU (TCG here), the image built by `npm run vm:image`, the engine reached
 * only over mutual TLS. Boots, runs a container that writes into a named volume, restarts, is killed
 * with SIGKILL, boots again, and the data is there every time.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerService } from '../engine/containers/index.js';
import { EngineConnection } from '../engine/core/index.js';
import { waitFor } from '../engine/testing/wait-for.js';
import { busyboxRootTar } from '../engine/testing/test-images.js';
import { makeTlsFiles } from './host/tls-material.js';
import type { VmState } from './lifecycle/vm-state.js';
import { VmService } from './vm-service.js';
import { dockerOnVm } from './testing/vm-docker-cli.js';
import { printConsoleTailOnFailure } from './testing/console-on-failure.js';
import { qemuPidsOf } from './testing/qemu-processes.js';
import { requireTestImage, testImageDir } from './testing/test-image.js';

const imageDir = testImageDir();
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vm-test-'));
const token = `berth-${Math.random().toString(36).slice(2, 10)}`;

/**
 * What the engine port says to a client without this installation's certificate: over plain HTTP,
 * over TLS without a certificate, and over TLS with another installation's client certificate.
 */
async function unauthenticatedAnswers(
  port: number,
  ca: string,
): Promise<{ plain: string; tlsWithoutCert: string; tlsWithForeignCert: string }> {
  const ask = (request: http.ClientRequest) =>
    new Promise<string>((resolve) => {
      request.on('response', (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(`${response.statusCode} ${body.trim()}`));
      });
      request.on('error', (error) => resolve(`error: ${error.message}`));
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.end();
    });
  const plain = await ask(http.request({ host: '127.0.0.1', port, path: '/_ping', timeout: 5_000 }));
  const tlsWithoutCert = await ask(https.request({ host: '127.0.0.1', port, path: '/_ping', ca, agent: false, timeout: 5_000 }));
  const other = await makeTlsFiles(1);
  const tlsWithForeignCert = await ask(
    https.request({
      host: '127.0.0.1',
      port,
      path: '/_ping',
      ca,
      cert: other['cert.pem'],
      key: other['key.pem'],
      agent: false,
      timeout: 5_000,
    }),
  );
  return { plain, tlsWithoutCert, tlsWithForeignCert };
}

const readBack = (vm: VmService) =>
  dockerOnVm(vm, ['run', '--rm', '-v', 'berth-data:/data', 'berth-test/busybox', 'cat', '/data/token']);

describe('the engine VM (QEMU)', () => {
  const vm = new VmService({
    stateDir,
    imageDir,
    settings: { cpus: 2, memoryMiB: 1024, diskGiB: 8 },
    dockerContext: false, // vm-ports.integration.test.ts covers the context, in its own DOCKER_CONFIG
  });
  printConsoleTailOnFailure(vm);
  const states: VmState[] = [];
  vm.onStateChange((state) => states.push(state));

  beforeAll(() => {
    requireTestImage();
  });

  afterAll(async () => {
    await vm.stop().catch(() => undefined);
    vm.dispose();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('boots through its steps to a running engine reachable only with this installation’s certificate', async () => {
    await vm.start();
    const steps = states.filter((state) => state.kind === 'starting').map((state) => state.step);
    expect(steps).toEqual(['preparing', 'booting-kernel', 'mounting-disk', 'starting-engine', 'connecting']);
    expect(vm.state.kind).toBe('running');

    const connection = new EngineConnection(vm.endpoint());
    connection.start();
    await waitFor('the engine connection', () => connection.state.kind === 'connected');
    expect(connection.state).toMatchObject({ kind: 'connected', info: { os: 'linux' } });
    connection.dispose();

    const endpoint = vm.endpoint();
    if (endpoint.kind !== 'tcp' || !endpoint.tls) throw new Error('expected TCP with TLS');
    const answers = await unauthenticatedAnswers(endpoint.port, endpoint.tls.ca);
    // Plain HTTP meets Go's TLS server ("Client sent an HTTP request to an HTTPS server"), and TLS
    // without a client certificate, or with another installation's, fails the handshake: none reaches the engine.
    expect(answers.plain).toMatch(/^400 Client sent an HTTP request to an HTTPS server/);
    expect(answers.tlsWithoutCert).toMatch(/^error: /);
    expect(answers.tlsWithForeignCert).toMatch(/^error: /);
    // The vCPUs of the settings, all online.
    expect(await dockerOnVm(vm, ['info', '--format', '{{.NCPU}}'])).toBe('2');
  });

  it('runs a container that writes into a named volume, seen through Berth’s services', async () => {
    await dockerOnVm(vm, ['import', '-', 'berth-test/busybox'], await busyboxRootTar());
    await dockerOnVm(vm, [
      'run',
      '--rm',
      '-v',
      'berth-data:/data',
      'berth-test/busybox',
      'sh',
      '-c',
      `echo ${token} > /data/token`,
    ]);
    await dockerOnVm(vm, ['create', '--name', 'berth-keeper', 'berth-test/busybox', 'sleep', '1']);

    const connection = new EngineConnection(vm.endpoint());
    connection.start();
    await waitFor('the engine connection', () => connection.state.kind === 'connected');
    const names = (await new ContainerService(connection).list()).map((container) => container.name);
    connection.dispose();
    expect(names).toContain('berth-keeper');
    expect(await readBack(vm)).toBe(token);
  });

  it('runs containers with crun, the default, as well as with runc', async () => {
    const runtimes = await dockerOnVm(vm, ['info', '--format', '{{json .Runtimes}}']);
    expect(Object.keys(JSON.parse(runtimes) as Record<string, unknown>)).toEqual(expect.arrayContaining(['runc', 'crun']));
    expect(await dockerOnVm(vm, ['info', '--format', '{{.DefaultRuntime}}'])).toBe('crun');
    for (const runtime of ['crun', 'runc']) {
      const output = await dockerOnVm(vm, [
        'run',
        '--rm',
        '--runtime',
        runtime,
        'berth-test/busybox',
        'cat',
        '/proc/self/cgroup',
      ]);
      expect(output).toMatch(/^0::\//);
    }
  });

  // dockerd's network hook, which started dockerd's own binary again for every container (its Go start:
  // seconds under TCG), is replaced by the image's script (vm/image/libnetwork-setkey.sh): the container's
  // spec names the script, and the container has its address on the default bridge when its process runs.
  // A published port has one docker-proxy (0.0.0.0), not a second for ::, which nothing could reach.
  it('gives a container its network through the image’s setkey hook, one proxy per published port, and exec in it', async () => {
    const id = await dockerOnVm(vm, ['run', '-d', '-p', '80', 'berth-test/busybox', 'sleep', '600']);
    try {
      const spec = `/run/containerd/io.containerd.runtime.v2.task/moby/${id}/config.json`;
      const [hook, ...proxies] = (
        await dockerOnVm(vm, [
          'run',
          '--rm',
          '--privileged',
          '--pid=host',
          '-v',
          '/run/containerd:/run/containerd:ro',
          'berth-test/busybox',
          'sh',
          '-c',
          `grep -o '"prestart":\\[[^]]*\\]' ${spec}; ps -o args | grep '^/usr/sbin/docker-proxy'`,
        ])
      ).split('\n');
      expect(hook).toContain('"path":"/usr/lib/berth/libnetwork-setkey","args":["libnetwork-setkey"');
      expect(hook).not.toContain('/exe"');
      expect(proxies).toHaveLength(1);
      expect(proxies[0]).toMatch(
        /-proto tcp -host-ip 0\.0\.0\.0 -host-port \d+ -container-ip 172\.17\.\d+\.\d+ -container-port 80$/,
      );
      expect(await dockerOnVm(vm, ['exec', id, 'ip', '-4', '-o', 'addr', 'show', 'eth0'])).toMatch(/inet 172\.17\.\d+\.\d+\/16/);
      // The bridge's gateway answers from inside the container.
      expect(await dockerOnVm(vm, ['exec', id, 'ping', '-c', '1', '-W', '5', '172.17.0.1'])).toMatch(/1 packets received/);
    } finally {
      await dockerOnVm(vm, ['rm', '-f', id]);
    }
  });

  // Switching a CPU quota on or off rewrites hot scheduler code, unless the VM's init holds that kernel
  // key on (init-stage1.sh). Without that, QEMU's multi-threaded TCG livelocked during this test's switches in
  // 2 of 3 runs (and within 10-50 slower switches beside a busy loop in 3 of 3); with it, 900,000
  // switches went by. A livelock fails this at its timeout, with the console's soft lockups printed.
  it('keeps answering while a container switches CPU quotas on and off beside a busy one', { timeout: 90_000 }, async () => {
    const busyLoop = 'while :; do cat /proc/self/stat >/dev/null; done';
    await dockerOnVm(vm, ['run', '-d', '--name', 'berth-busy', 'berth-test/busybox', 'sh', '-c', busyLoop]);
    try {
      const quota = '/t/berth-quota/cpu.max';
      const script = [
        'mkdir /t && mount -t cgroup2 none /t && echo +cpu > /t/cgroup.subtree_control && mkdir /t/berth-quota',
        `for i in $(seq 150); do echo "50000 100000" > ${quota} && echo "max 100000" > ${quota} && sleep 0.05 || exit 1; done`,
        'rmdir /t/berth-quota && echo "$i switches"',
      ].join('; ');
      const args = ['run', '--rm', '--privileged', '--cgroupns=host', 'berth-test/busybox', 'sh', '-c', script];
      expect(await dockerOnVm(vm, args)).toBe('150 switches');
      expect(await dockerOnVm(vm, ['ps', '-q', '--filter', 'name=berth-busy'])).not.toBe('');
    } finally {
      await dockerOnVm(vm, ['rm', '-f', 'berth-busy']);
    }
  });

  it('keeps the data across a graceful restart', async () => {
    await vm.restart();
    expect(vm.state.kind).toBe('running');
    expect(await readBack(vm)).toBe(token);
  });

  it('shows a SIGKILL of QEMU as an error with details at once, and Start recovers with the data intact', async () => {
    const qemuPids = qemuPidsOf(stateDir);
    expect(qemuPids).toHaveLength(1);
    process.kill(qemuPids[0]!, 'SIGKILL');
    await waitFor('the VM to report the crash', () => vm.state.kind === 'error', { timeoutMs: 5_000 });
    const state = vm.state as Extract<VmState, { kind: 'error' }>;
    expect(state.failure).toMatchObject({ during: 'running', exitStatus: 'signal SIGKILL' });
    expect(state.failure.consoleTail.join('\n')).toContain('BERTH-READY');

    await vm.start();
    expect(vm.state.kind).toBe('running');
    expect(await readBack(vm)).toBe(token);
  });
});
