/**
 * `BENCH_ONLY=rest npm run bench`: the VM's Resource Saver, each figure beside a reference taken in the
 * same run on the same VM: QEMU's CPU resting against idle and awake, the wake latency (first answered
 * `_ping` through the host socket from rest) against `_ping` awake, QEMU's RSS after 20 containers,
 * after their removal and at rest against its RSS after boot. Needs the image and QEMU.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { waitFor } from '../../engine/testing/wait-for.js';
import { guestArchForHost } from '../../vm/qemu/machine-profile.js';
import { qemuPidsOf } from '../../vm/testing/qemu-processes.js';
import { cpuShare, loadAverage, rssMiB } from '../../vm/testing/qemu-usage.js';
import { VmService } from '../../vm/vm-service.js';
import type { BenchRow } from './bench-row.js';
import { median, ms, percentile } from './stats.js';
import { BENCH_IMAGE, dockerOn, importBusybox, type DockerTarget } from './vm-docker.js';

const ARCH = guestArchForHost() ?? 'amd64';
const IMAGE_DIR = path.resolve(import.meta.dirname, '..', '..', 'vm', '.build', 'image', ARCH);
const CONTAINERS = 20;
const WAKE_ROUNDS = Number(process.env.BENCH_REST_ROUNDS ?? 10);
const CPU_WINDOW_MS = 10_000;

function pingThroughSocket(socketPath: string): Promise<number> {
  const began = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath, path: '/_ping', agent: false, timeout: 30_000 }, (response) => {
        response.resume();
        response.on('end', () => resolve(performance.now() - began));
      })
      .on('error', reject);
  });
}

const mib = (value: number) => `${value.toFixed(0)} MiB`;
const percent = (value: number) => `${(value * 100).toFixed(2)}%`;

export async function benchRest(): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-rest-'));
  // Resting only when the bench says so: a long idle time while it measures the awake figures.
  let restAfterMs = 3_600_000;
  const vm = new VmService({
    stateDir,
    imageDir: IMAGE_DIR,
    settings: { cpus: 2, memoryMiB: 2048, diskGiB: 16, sharedFolders: [] },
    get restAfterMs() {
      return restAfterMs;
    },
    dockerContext: false,
  });
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  try {
    await vm.start();
    const [pid] = qemuPidsOf(stateDir);
    if (!pid) throw new Error('no QEMU process found');
    const socketPath = vm.hostSocketPath!;
    const target: DockerTarget = { host: `unix://${socketPath}` };
    await importBusybox(target);
    const rssBoot = rssMiB(pid);

    console.log(`  ${CONTAINERS} containers…`);
    const names = Array.from({ length: CONTAINERS }, (_, index) => `rest-bench-${index}`);
    for (const name of names) await dockerOn(target, ['run', '-d', '--name', name, BENCH_IMAGE, 'sleep', '3600']);
    const rssWith = rssMiB(pid);
    await dockerOn(target, ['rm', '-f', ...names]);
    // Free page reporting is batched: give it until the RSS has stopped falling for 5 s (at most 60 s).
    let rssAfter = rssMiB(pid);
    let stableSince = Date.now();
    const deadline = Date.now() + 60_000;
    await waitFor(
      'the RSS to settle',
      () => {
        const now = rssMiB(pid);
        if (now < rssAfter - 1) [rssAfter, stableSince] = [now, Date.now()];
        return Date.now() - stableSince > 5_000 || Date.now() > deadline;
      },
      { timeoutMs: 70_000, intervalMs: 500 },
    );

    console.log('  idle and resting CPU, wake latency…');
    const awakePings: number[] = [];
    for (let i = 0; i < WAKE_ROUNDS; i++) awakePings.push(await pingThroughSocket(socketPath));
    const idleCpu = await cpuShare(pid, CPU_WINDOW_MS);
    restAfterMs = 2_000;
    await vm.updateSettings(vm.settings().settings); // the new idle time applies at once
    const resting = () => waitFor('the VM to rest', () => vm.state.kind === 'resting', { timeoutMs: 120_000 });
    await resting();
    const rssRest = rssMiB(pid);
    const restCpu = await cpuShare(pid, CPU_WINDOW_MS);
    const wakes: number[] = [];
    for (let i = 0; i < WAKE_ROUNDS; i++) {
      await resting();
      wakes.push(await pingThroughSocket(socketPath));
    }

    rows.push({
      measure: `QEMU CPU resting (${CPU_WINDOW_MS / 1000} s, no container)`,
      berth: percent(restCpu),
      reference: `${percent(idleCpu)} awake and idle`,
      ratio: idleCpu > 0 ? `${(restCpu / idleCpu).toFixed(2)}×` : '',
      goal: '0.0%',
    });
    rows.push({
      measure: `Wake from rest: first _ping answered (host socket) p50`,
      berth: ms(median(wakes)),
      reference: `${ms(median(awakePings))} awake`,
      ratio: `${(median(wakes) / median(awakePings)).toFixed(1)}×`,
      goal: '≤ 50 ms',
    });
    rows.push({
      measure: `Wake from rest p95 (${wakes.length} rounds)`,
      berth: ms(percentile(wakes, 95)),
      reference: `${ms(percentile(awakePings, 95))} awake`,
      ratio: `${(percentile(wakes, 95) / percentile(awakePings, 95)).toFixed(1)}×`,
      goal: '≤ 50 ms',
    });
    const againstBoot = (value: number) => `${(value / rssBoot).toFixed(2)}×`;
    rows.push({
      measure: `QEMU RSS with ${CONTAINERS} containers running`,
      berth: mib(rssWith),
      reference: `${mib(rssBoot)} after boot`,
      ratio: againstBoot(rssWith),
      goal: '',
    });
    rows.push({
      measure: `QEMU RSS after their removal`,
      berth: mib(rssAfter),
      reference: `${mib(rssBoot)} after boot`,
      ratio: againstBoot(rssAfter),
      goal: '≤ 1.25×',
    });
    rows.push({
      measure: 'QEMU RSS at rest',
      berth: mib(rssRest),
      reference: `${mib(rssBoot)} after boot`,
      ratio: againstBoot(rssRest),
      goal: '',
    });
    notes.push(`wakes (ms): ${wakes.map((value) => value.toFixed(1)).join(', ')}; load average ${loadAverage().toFixed(1)}`);
  } finally {
    await vm.stop().catch(() => undefined);
    vm.dispose();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
  return { rows, notes };
}
