/**
 * A published port at 100 concurrent clients (http-load's one-thread server in a container, 2,000 GETs
 * over a new connection each), three ways, in alternating rounds: inside the VM (the reference: the same static
 * client in a container on the VM's host network, through the same docker-proxy), through Berth's
 * published port (its own listener in front of QEMU's forward), and through QEMU's own forward alone
 * (what a published port was before: a listener with a backlog of 1).
 */
import os from 'node:os';
import fs from 'node:fs';
import { freePort } from '../../engine/testing/free-port.js';
import { busyboxRootTar } from '../../engine/testing/test-images.js';
import { waitFor } from '../../engine/testing/wait-for.js';
import { loopbackPageBody } from '../../vm/testing/loopback-page.js';
import {
  buildHttpLoad,
  HTTP_LOAD_IN_IMAGE,
  HTTP_LOAD_SERVER_COMMAND,
  httpLoadInVmArgs,
  httpLoadOnHost,
  parseHttpLoad,
  type HttpLoadResult,
} from '../../vm/testing/http-load.js';
import type { VmService } from '../../vm/vm-service.js';
import type { BenchRow } from './bench-row.js';
import { dockerOn, type DockerTarget } from './vm-docker.js';

const IMAGE = 'berth-bench/www';
const REQUESTS = 2_000;
const CONCURRENCY = 100;
const ROUNDS = Number(process.env.BENCH_PORT_ROUNDS ?? 2);

const figures = (r: HttpLoadResult) =>
  `${(r.requests / r.seconds).toFixed(0)} req/s, ${r.failures} failed, p99 ${r.p99.toFixed(0)} ms`;

/** The round with the median p99 (of two: the better one; a shared machine only ever slows a round down). */
function typical(results: HttpLoadResult[]): HttpLoadResult {
  const sorted = [...results].sort((a, b) => a.p99 - b.p99);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

export async function benchPublishedPort(vm: VmService, target: DockerTarget): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const load = { content: fs.readFileSync(await buildHttpLoad()), mode: 0o755 };
  await dockerOn(target, ['import', '-', IMAGE], await busyboxRootTar({ [HTTP_LOAD_IN_IMAGE]: load }));
  const port = await freePort();
  await dockerOn(target, ['run', '-d', '--name', 'berth-bench-www', '-p', `${port}:80`, IMAGE, ...HTTP_LOAD_SERVER_COMMAND]);
  try {
    await waitFor('the forward', () => vm.qemuForwardPortOf(port), { timeoutMs: 30_000 });
    await waitFor('the page', () => loopbackPageBody(port));
    const qemuPort = vm.qemuForwardPortOf(port)!;
    const inside: HttpLoadResult[] = [];
    const published: HttpLoadResult[] = [];
    const qemuOnly: HttpLoadResult[] = [];
    const notes: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      inside.push(parseHttpLoad(await dockerOn(target, httpLoadInVmArgs(IMAGE, port, REQUESTS, CONCURRENCY))));
      published.push(await httpLoadOnHost(port, REQUESTS, CONCURRENCY));
      qemuOnly.push(await httpLoadOnHost(qemuPort, REQUESTS, CONCURRENCY));
      notes.push(
        `published port round ${round} (load average ${os.loadavg()[0]!.toFixed(1)}): inside the VM ${figures(inside.at(-1)!)}; ` +
          `Berth's port ${figures(published.at(-1)!)}; QEMU's forward alone ${figures(qemuOnly.at(-1)!)}`,
      );
    }
    const reference = typical(inside);
    const row = (measure: string, result: HttpLoadResult, goal: string): BenchRow => ({
      measure,
      berth: figures(result),
      reference: `${figures(reference)} inside the VM`,
      ratio: `p99 ${(result.p99 / reference.p99).toFixed(2)}×`,
      goal,
    });
    return {
      rows: [
        row(
          `Published port, ${CONCURRENCY} concurrent clients, ${REQUESTS.toLocaleString('en')} GETs`,
          typical(published),
          '0 failed, p99 ≤ 3×',
        ),
        row("The same through QEMU's forward alone (before)", typical(qemuOnly), ''),
      ],
      notes,
    };
  } finally {
    await dockerOn(target, ['rm', '-f', 'berth-bench-www']).catch(() => undefined);
  }
}
