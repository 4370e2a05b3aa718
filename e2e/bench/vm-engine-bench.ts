/**
 * The engine through the VM's TLS endpoint next to a dockerd on this computer's own unix socket: `_ping`
 * latency on a kept-alive connection (what the app's engine client does), a 100 MB `docker cp` into
 * a container (the CLI, as a user would). Container starts and exec opens: vm-starts-bench.ts.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EngineEndpoint } from '../../engine/core/index.js';
import { percentile } from './stats.js';
import { BENCH_IMAGE, dockerOn, timeDocker, type DockerTarget } from './vm-docker.js';

const PINGS = 300;
const WARMUP_PINGS = 20;
const CP_MB = 100;
const CP_RUNS = 2;

export interface PingResult {
  p50: number;
  p95: number;
}

/** Sequential GET /_ping on one kept-alive connection; the first WARMUP_PINGS (handshake) are not counted. */
export async function pingLatency(endpoint: EngineEndpoint): Promise<PingResult> {
  const agent =
    endpoint.kind === 'tcp' && endpoint.tls
      ? new https.Agent({ keepAlive: true, maxSockets: 1, ...endpoint.tls })
      : new http.Agent({ keepAlive: true, maxSockets: 1 });
  const target =
    endpoint.kind === 'unix'
      ? { socketPath: endpoint.socketPath }
      : endpoint.kind === 'tcp'
        ? { host: endpoint.host, port: endpoint.port }
        : null;
  if (!target) throw new Error('named pipes are not benchmarked');
  const client = endpoint.kind === 'tcp' && endpoint.tls ? https : http;
  const times: number[] = [];
  try {
    for (let i = 0; i < WARMUP_PINGS + PINGS; i += 1) {
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        const request = client.request({ ...target, path: '/_ping', agent }, (response) => {
          response.resume();
          response.on('end', () =>
            response.statusCode === 200 ? resolve() : reject(new Error(`_ping: ${response.statusCode}`)),
          );
        });
        request.on('error', reject);
        request.end();
      });
      if (i >= WARMUP_PINGS) times.push(performance.now() - started);
    }
  } finally {
    agent.destroy();
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/** Best of CP_RUNS `docker cp` of a 100 MB file of random bytes into a stopped container. */
export async function dockerCpMs(target: DockerTarget): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-cp-'));
  const file = path.join(dir, 'blob');
  fs.writeFileSync(file, randomBytes(CP_MB * 1024 * 1024));
  const container = await dockerOn(target, ['create', BENCH_IMAGE, 'true']);
  try {
    const times: number[] = [];
    for (let run = 0; run < CP_RUNS; run += 1) times.push(await timeDocker(target, ['cp', file, `${container}:/tmp/blob`]));
    return Math.min(...times);
  } finally {
    await dockerOn(target, ['rm', '-f', container]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const CP_SIZE_MB = CP_MB;
