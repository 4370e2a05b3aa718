/**
 * The docker CLI against one engine of the VM benchmarks: the VM (TCP with this installation's TLS
 * client certificate) or the host's own dockerd (unix socket). Same CLI, same image, both sides.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { dockerCli } from '../../engine/testing/test-images.js';

const run = promisify(execFile);

export interface DockerTarget {
  /** DOCKER_HOST form: unix:///… or tcp://127.0.0.1:PORT */
  host: string;
  /** A directory with ca.pem, cert.pem, key.pem when the engine wants mutual TLS. */
  tlsDir?: string;
}

export const BENCH_IMAGE = 'berth-bench/busybox';

export function dockerOn(target: DockerTarget, args: string[], input?: Buffer): Promise<string> {
  return dockerCli(target.host, args, input, { tlsDir: target.tlsDir });
}

/** ms a docker command takes, end to end (CLI included, as a user sees it). */
export async function timeDocker(target: DockerTarget, args: string[]): Promise<number> {
  const started = performance.now();
  await dockerOn(target, args);
  return performance.now() - started;
}

/** A busybox root with every applet, imported as BENCH_IMAGE. */
export async function importBusybox(target: DockerTarget): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-root-'));
  try {
    for (const dir of ['bin', 'tmp', 'proc', 'sys']) fs.mkdirSync(path.join(root, dir));
    fs.chmodSync(path.join(root, 'tmp'), 0o1777);
    fs.copyFileSync('/bin/busybox', path.join(root, 'bin', 'busybox'));
    const { stdout } = await run('/bin/busybox', ['--list']);
    for (const applet of stdout.split('\n').filter((name) => name && name !== 'busybox')) {
      fs.symlinkSync('busybox', path.join(root, 'bin', applet));
    }
    const tar = await new Promise<Buffer>((resolve, reject) => {
      const child = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('error', reject);
      child.on('close', () => resolve(Buffer.concat(chunks)));
    });
    await dockerOn(target, ['import', '-', BENCH_IMAGE], tar);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
