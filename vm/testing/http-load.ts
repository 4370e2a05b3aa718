/**
 * The load client (and server) of the published-port test and benchmark: http-load.c, built static with this
 * computer's gcc once per run, so the same binary makes the same requests on this computer and inside
 * the VM (in a busybox container on the VM's host network, through the same docker-proxy).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SOURCE = path.join(import.meta.dirname, 'http-load.c');
/** Where the binary sits in the image the VM runs it from. */
export const HTTP_LOAD_IN_IMAGE = 'bin/http-load';

export interface HttpLoadResult {
  requests: number;
  failures: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  /** The first failure's words ("connect: Connection timed out"), empty when none failed. */
  firstFailure: string;
}

let built: Promise<string> | null = null;

/** The static binary's path (built once per process). Needs gcc and a static libc (libc6-dev). */
export function buildHttpLoad(): Promise<string> {
  built ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-http-load-'));
    const binary = path.join(dir, 'http-load');
    try {
      await run('gcc', ['-static', '-O2', '-pthread', '-o', binary, SOURCE]);
    } catch (error) {
      const detail = (error as { stderr?: string }).stderr || (error as Error).message;
      throw new Error(`Building the load client (gcc -static ${SOURCE}) failed: ${detail}`);
    }
    return binary;
  })();
  return built;
}

export function parseHttpLoad(output: string): HttpLoadResult {
  const line = output.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as HttpLoadResult;
  } catch {
    throw new Error(`http-load printed no result: ${output.trim().slice(0, 300)}`);
  }
}

/** How long one request may take (connect, send, answer) before it counts as failed (a browser waits longer). */
export const REQUEST_TIMEOUT_MS = 30_000;

const loadArgs = (port: number, requests: number, concurrency: number) =>
  ['127.0.0.1', port, requests, concurrency, REQUEST_TIMEOUT_MS].map(String);

/** REQUESTS GETs of 127.0.0.1:port from this computer, CONCURRENCY at a time. */
export async function httpLoadOnHost(port: number, requests: number, concurrency: number): Promise<HttpLoadResult> {
  const { stdout } = await run(await buildHttpLoad(), loadArgs(port, requests, concurrency), { timeout: 300_000 });
  return parseHttpLoad(stdout);
}

/** The container command of the load test's server (http-load serve): 200 "hello", no process per request. */
export const HTTP_LOAD_SERVER_COMMAND = [`/${HTTP_LOAD_IN_IMAGE}`, 'serve', '80'];

/** The arguments of a `docker run` that makes the same requests inside the VM (image: one with HTTP_LOAD_IN_IMAGE). */
export function httpLoadInVmArgs(image: string, port: number, requests: number, concurrency: number): string[] {
  return ['run', '--rm', '--network', 'host', image, `/${HTTP_LOAD_IN_IMAGE}`, ...loadArgs(port, requests, concurrency)];
}
