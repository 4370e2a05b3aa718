/** Starts Berth in browser mode on its own engine VM, with its state under a directory of the test's. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dockerCli } from '../engine/testing/test-images.js';
import { readBerthUrl } from '../app/launcher/testing/berth-url.js';

const run = promisify(execFile);

export async function runVmBerth(
  stateHome: string,
  options: { imageDir?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ berth: ChildProcess; url: string }> {
  // DOCKER_CONFIG too: Berth writes its `berth` docker context there, not into this machine's ~/.docker.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_STATE_HOME: stateHome,
    DOCKER_CONFIG: join(stateHome, 'docker-config'),
    ...options.env,
  };
  if (options.imageDir) env.BERTH_VM_IMAGE_DIR = options.imageDir;
  delete env.DOCKER_HOST; // the VM is Berth's default only when no engine is named
  const berth = spawn(process.execPath, ['dist/app/berth.mjs', '--web'], {
    cwd: join(import.meta.dirname, '..'),
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await readBerthUrl(berth);
  return { berth, url };
}

/** The QEMU processes whose command line names this state directory (their disk and sockets live there). */
export async function qemuPidsUnder(stateHome: string): Promise<number[]> {
  try {
    const { stdout } = await run('pgrep', ['-f', `qemu-system.*${stateHome}`]);
    return stdout.split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** The real docker CLI through the VM's host socket, as a person's shell would use it. */
export function dockerInVm(stateHome: string, args: string[], input?: Buffer): Promise<string> {
  return dockerCli(`unix://${join(stateHome, 'berth', 'vm', 'docker.sock')}`, args, input);
}

/** A root filesystem with the host's static busybox, as a tar for `docker import`. */
export async function busyboxRootTar(): Promise<Buffer> {
  const { stdout } = await run(
    'sh',
    [
      '-c',
      'd=$(mktemp -d) && mkdir "$d/bin" && cp /bin/busybox "$d/bin/" && ln -s busybox "$d/bin/sh" && tar -C "$d" -c . && rm -rf "$d"',
    ],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}
