/** Starts Berth in browser mode on its own engine VM, with its state under a directory of the test's. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function runVmBerth(stateHome: string): Promise<{ berth: ChildProcess; url: string }> {
  // DOCKER_CONFIG too: Berth writes its `berth` docker context there, not into this machine's ~/.docker.
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_STATE_HOME: stateHome, DOCKER_CONFIG: join(stateHome, 'docker-config') };
  delete env.DOCKER_HOST; // the VM is Berth's default only when no engine is named
  const berth = spawn(process.execPath, ['dist/app/berth.mjs', '--web'], {
    cwd: join(import.meta.dirname, '..'),
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`Berth did not print its URL:\n${output}`)), 30_000);
    berth.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    berth.on('exit', (code) => reject(new Error(`Berth exited (${code}) at start:\n${output}`)));
  });
  berth.stdout.resume();
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
  return new Promise((resolve, reject) => {
    const env = { ...process.env, DOCKER_HOST: `unix://${join(stateHome, 'berth', 'vm', 'docker.sock')}` };
    const child = spawn('docker', args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => (code === 0 ? resolve(stdout.trim()) : reject(new Error(`docker ${args.join(' ')}: ${stderr}`))));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** A root filesystem with the host's static busybox, as a tar for `docker import`. */
export async function busyboxRootTar(): Promise<Buffer> {
  const { stdout } = await promisify(execFile)(
    'sh',
    [
      '-c',
      'd=$(mktemp -d) && mkdir "$d/bin" && cp /bin/busybox "$d/bin/" && ln -s busybox "$d/bin/sh" && tar -C "$d" -c . && rm -rf "$d"',
    ],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}
