/**
 * Resting for real, on one boot (QEMU, TCG here): with a short idle time the VM rests (vCPUs paused,
 * the guest's page cache dropped), `docker ps` through the host socket wakes it and is answered, the
 * TLS port's door wakes it too, its clock is set again after the rest, QEMU uses no CPU while resting,
 * a running container keeps it awake, and memory a container used comes back to the host (the
 * free-page-reporting balloon). Prints the figures (wake latency, RSS, CPU) for the README.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HEARTBEAT, EngineConnection } from '../engine/core/index.js';
import { busyboxRootTar, dockerCli } from '../engine/testing/test-images.js';
import { waitFor } from '../engine/testing/wait-for.js';
import type { VmState } from './lifecycle/vm-state.js';
import { printConsoleTailOnFailure } from './testing/console-on-failure.js';
import { qemuPidsOf } from './testing/qemu-processes.js';
import { cpuShare, loadAverage, rssMiB } from './testing/qemu-usage.js';
import { requireTestImage, testImageDir } from './testing/test-image.js';
import { dockerOnVm } from './testing/vm-docker-cli.js';
import { VmService } from './vm-service.js';

const REST_AFTER_MS = 2_000;
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vm-rest-'));

/** GET path through the host socket (what DOCKER_HOST=unix://… tools do); resolves with the status and ms taken. */
function getThroughSocket(socketPath: string, requestPath: string): Promise<{ status: number; body: string; ms: number }> {
  const began = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.get({ socketPath, path: requestPath, agent: false, timeout: 30_000 }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, ms: performance.now() - began }));
    });
    request.on('error', reject);
    request.on('timeout', () => request.destroy(new Error(`no answer to ${requestPath} within 30 s`)));
  });
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1]!;

describe('the VM at rest (QEMU)', () => {
  const vm = new VmService({
    stateDir,
    imageDir: testImageDir(),
    settings: { cpus: 2, memoryMiB: 1024, diskGiB: 8 },
    restAfterMs: REST_AFTER_MS,
    dockerContext: false,
  });
  printConsoleTailOnFailure(vm);
  const states: VmState[] = [];
  vm.onStateChange((state) => states.push(state));
  const figures: string[] = [];
  let qemuPid = 0;
  let socketPath = '';
  const resting = () => waitFor('the VM to rest', () => vm.state.kind === 'resting', { timeoutMs: 60_000 });

  beforeAll(async () => {
    requireTestImage();
    await vm.start();
    qemuPid = qemuPidsOf(stateDir)[0] ?? 0;
    if (!qemuPid) throw new Error('no QEMU process found for the VM');
    socketPath = vm.hostSocketPath!;
    await dockerOnVm(vm, ['import', '-', 'berth-test/busybox'], await busyboxRootTar());
  }, 300_000);

  afterAll(async () => {
    console.log(`VM rest figures (load average ${loadAverage().toFixed(1)}):\n  ${figures.join('\n  ')}`);
    await vm.stop().catch(() => undefined);
    vm.dispose();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('rests when idle, uses no CPU then, and `docker ps` through the host socket wakes it and is answered', async () => {
    const awakePings: number[] = [];
    for (let i = 0; i < 5; i++) awakePings.push((await getThroughSocket(socketPath, '/_ping')).ms);
    const rssAwake = rssMiB(qemuPid);
    await resting();
    const restingCpu = await cpuShare(qemuPid, 3_000);
    figures.push(
      `QEMU CPU while resting: ${(restingCpu * 100).toFixed(2)}% of a core; RSS awake ${rssAwake.toFixed(0)} MiB, at rest ${rssMiB(qemuPid).toFixed(0)} MiB`,
    );
    expect(restingCpu).toBeLessThan(0.01);

    const began = performance.now();
    const ps = await dockerCli(`unix://${socketPath}`, ['ps', '--format', '{{.Names}}']);
    const psMs = performance.now() - began;
    expect(ps).toBe('');
    expect(vm.state.kind).toBe('running');
    figures.push(`docker ps through the host socket from rest: ${psMs.toFixed(0)} ms (wake ${vm.lastWakeMs?.toFixed(1)} ms)`);

    // Wake latency, first answered request: _ping through the host socket from rest, several rounds.
    const wakes: number[] = [];
    for (let i = 0; i < 5; i++) {
      await resting();
      const answer = await getThroughSocket(socketPath, '/_ping');
      expect(answer).toMatchObject({ status: 200, body: 'OK' });
      wakes.push(answer.ms);
    }
    figures.push(
      `_ping from rest p50 ${percentile(wakes, 50).toFixed(1)} ms, p95 ${percentile(wakes, 95).toFixed(1)} ms; awake p50 ${percentile(awakePings, 50).toFixed(1)} ms`,
    );
    expect(states.filter((state) => state.kind === 'resting').length).toBeGreaterThanOrEqual(6);
  });

  it("lets the app's connection (a heartbeat every 0.5 s, the event stream) stay connected through a rest without waking it", async () => {
    // As app/composition wires it: the heartbeat answered by the VM's own path, the rest through the host socket.
    const connection = new EngineConnection(
      { kind: 'unix', socketPath },
      {},
      { heartbeat: { ...DEFAULT_HEARTBEAT, pingVia: () => (signal) => vm.heartbeatPing(signal) } },
    );
    try {
      connection.start();
      await waitFor('the app connected', () => connection.state.kind === 'connected', { timeoutMs: 30_000 });
      await resting();
      const restedAt = vm.state.kind === 'resting' ? vm.state.since : 0;
      const kinds: string[] = [];
      const subscription = connection.onStateChange((state) => kinds.push(state.kind));
      // Eight heartbeats' time: none of them wakes the VM, none says the engine is lost.
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      subscription.dispose();
      expect(vm.state).toMatchObject({ kind: 'resting', since: restedAt });
      expect(kinds).toEqual([]);
      // A real request on the same connection wakes it and is answered.
      await expect(connection.docker.listContainers()).resolves.toEqual([]);
      // On a connection open from before the rest the answer can come before the wake is complete (the
      // guest's clock being set): running follows a moment later.
      await waitFor('the VM awake', () => vm.state.kind === 'running', { timeoutMs: 5_000, intervalMs: 20 });
      // And idle again, it rests with the connection open.
      await resting();
      expect(connection.state.kind).toBe('connected');
    } finally {
      connection.dispose();
    }
  });

  it('wakes through the TLS port too, with the guest clock set again after the rest', async () => {
    await resting();
    // A rest longer than the clock's tolerance: without setting it, the guest's clock would be this far behind.
    await waitFor('a long enough rest', () => vm.state.kind === 'resting' && Date.now() - vm.state.since > 4_000, {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    const endpoint = vm.endpoint();
    if (endpoint.kind !== 'tcp' || !endpoint.tls) throw new Error('expected TCP with TLS');
    const info = await new Promise<{ SystemTime: string }>((resolve, reject) => {
      https
        .get({ host: '127.0.0.1', port: endpoint.port, path: '/info', ...endpoint.tls, agent: false }, (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve(JSON.parse(body) as { SystemTime: string }));
        })
        .on('error', reject);
    });
    const skewMs = Math.abs(Date.parse(info.SystemTime) - Date.now());
    figures.push(`guest clock after a ${'>'}4 s rest: ${skewMs.toFixed(0)} ms from the host's`);
    // busybox date takes whole seconds: half a second off at most, plus the time the answer took.
    expect(skewMs).toBeLessThan(1_500);
  });

  it('never rests while a container runs, and rests once it is gone', async () => {
    await dockerOnVm(vm, ['run', '-d', '--name', 'awake', 'berth-test/busybox', 'sleep', '3600']);
    const before = states.length;
    // Three idle times with the container running: the policy asks and must find it each time.
    const watchedUntil = Date.now() + 3 * REST_AFTER_MS + 1_000;
    await waitFor('three idle times to pass', () => Date.now() > watchedUntil, { timeoutMs: 30_000, intervalMs: 250 });
    expect(states.slice(before).map((state) => state.kind)).not.toContain('resting');
    await dockerOnVm(vm, ['rm', '-f', 'awake']);
    await resting();
  });

  it('gives memory a container used back to the host', async () => {
    await waitFor('the VM awake', async () => (await dockerOnVm(vm, ['version', '--format', '{{.Server.Version}}'])) !== '');
    const rssBefore = rssMiB(qemuPid);
    // 400 MB written to a tmpfs inside a container: guest memory that is freed when the container goes.
    await dockerOnVm(vm, [
      'run',
      '-d',
      '--name',
      'filler',
      '--tmpfs',
      '/fill:size=450m',
      'berth-test/busybox',
      'sh',
      '-c',
      'dd if=/dev/zero of=/fill/zero bs=1M count=400 && sleep 3600',
    ]);
    const rssPeak = await waitFor(
      'the container to fill its memory',
      () => {
        const now = rssMiB(qemuPid);
        return now > rssBefore + 300 ? now : null;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    await dockerOnVm(vm, ['rm', '-f', 'filler']);
    // Free page reporting is batched in the guest (a couple of seconds); then QEMU gives the pages back.
    const rssAfter = await waitFor(
      'the memory given back',
      () => {
        const now = rssMiB(qemuPid);
        return now < rssBefore * 1.25 ? now : null;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    await resting();
    figures.push(
      `QEMU RSS: before ${rssBefore.toFixed(0)} MiB, with 400 MB in a container ${rssPeak.toFixed(0)} MiB, after it ${rssAfter.toFixed(0)} MiB, at rest ${rssMiB(qemuPid).toFixed(0)} MiB`,
    );
  });

  it("lends the balloon the guest's free memory before a rest, and lets it all out again", async () => {
    const memTotal = () => dockerOnVm(vm, ['info', '--format', '{{.MemTotal}}']);
    const before = await memTotal();
    // Containers that write files: page cache and freed memory in pieces, which free page reporting
    // (2 MiB blocks only) leaves with QEMU.
    for (let index = 0; index < 6; index++)
      await dockerOnVm(vm, [
        'run',
        '--rm',
        'berth-test/busybox',
        'sh',
        '-c',
        'head -c 40m /dev/zero > /tmp/f && cat /tmp/f > /dev/null',
      ]);
    const rssAfterContainers = rssMiB(qemuPid);
    await resting();
    const rssRest = rssMiB(qemuPid);
    const givenBack = vm.memoryGivenBackBytes / 1024 / 1024;
    figures.push(
      `Balloon before the rest: took ${givenBack.toFixed(0)} MiB; QEMU RSS after the containers ${rssAfterContainers.toFixed(0)} MiB, at rest ${rssRest.toFixed(0)} MiB`,
    );
    expect(givenBack).toBeGreaterThan(200); // a 1 GiB guest with nothing running has far more free
    expect(rssRest).toBeLessThan(rssAfterContainers);
    // Woken: the guest has all its memory again (an inflated balloon would lower MemTotal).
    expect(await memTotal()).toBe(before);
  });
});
