/**
 * A private dockerd for tests, benchmarks and development: Debian's docker.io started with its own
 * data-root, exec-root, socket, pidfile and bridge in a temp dir, so it never touches (or is touched by)
 * a system dockerd. Two dockerds on one docker0 break each other's networks, hence the own bridge.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, openSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import http from 'node:http';

const run = promisify(execFile);

export interface LocalDockerdOptions {
  /** Name of the bridge this dockerd owns; created if absent. Must be unique per running dockerd. */
  bridge?: string;
  /** The bridge's /24 subnet as its first three octets, e.g. "172.29.7". */
  subnetPrefix?: string;
  /** A directory to keep (data survives restarts); by default a temp dir removed on stop. */
  dir?: string;
}

export interface LocalDockerd {
  readonly dir: string;
  readonly socketPath: string;
  /** DOCKER_HOST value for clients: unix://… */
  readonly dockerHost: string;
  readonly pid: number;
  stop(): Promise<void>;
}

function pingSocket(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ socketPath, path: '/_ping', timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => {
      request.destroy();
      resolve(false);
    });
  });
}

/**
 * The host bridges of the engine's own networks (`docker network create`). dockerd keeps them when it
 * stops (for its next start), so a private dockerd that is thrown away must delete them itself: left
 * behind, they pile up and soon take every address pool the next dockerd could use.
 */
function networkBridges(socketPath: string): Promise<string[]> {
  return new Promise((resolve) => {
    const request = http.get({ socketPath, path: '/networks', timeout: 5_000 }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        try {
          const networks = JSON.parse(body) as Array<{
            Id: string;
            Name: string;
            Driver: string;
            Options?: Record<string, string>;
          }>;
          resolve(
            networks
              .filter((network) => network.Driver === 'bridge' && network.Name !== 'bridge')
              .map((network) => network.Options?.['com.docker.network.bridge.name'] ?? `br-${network.Id.slice(0, 12)}`),
          );
        } catch {
          resolve([]);
        }
      });
    });
    request.on('error', () => resolve([]));
    request.on('timeout', () => (request.destroy(), resolve([])));
  });
}

/**
 * dockerd bind-mounts its data-root onto itself and undoes that at a clean shutdown; one that was
 * killed leaves the mount (and a restarted one may stack another). Unmounted before the folder goes,
 * deepest first, or removing it fails with EBUSY.
 */
async function unmountUnder(dir: string): Promise<void> {
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((target) => target === dir || target.startsWith(`${dir}/`));
  for (const target of mounts.reverse()) await run('umount', ['-l', target]).catch(() => undefined);
}

async function deleteLinks(names: string[]): Promise<void> {
  for (const name of names) await run('ip', ['link', 'delete', name]).catch(() => undefined);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n') : '';
  throw new Error(`${what} did not happen within ${timeoutMs} ms. dockerd log tail:\n${tail}`);
}

/**
 * dockerd starts its own containerd and, when restarted, reuses the one its pidfile names if that
 * process is alive. After dockerd was killed (a crash, an OOM kill), its containerd dies too, but
 * where nothing reaps it (a container's or microVM's init that does not wait for orphans) it stays a
 * zombie, which still counts as alive: dockerd would wait for it and give up after a minute ("timeout
 * waiting for containerd to start"). A pid reused by another program would do the same. So a pidfile
 * that does not name a live containerd is removed, and dockerd starts a new one.
 */
export function clearStaleContainerdPid(execRoot: string): void {
  const pidFile = join(execRoot, 'containerd', 'containerd.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const read = (file: string) => {
    try {
      return readFileSync(`/proc/${pid}/${file}`, 'utf8');
    } catch {
      return '';
    }
  };
  // /proc/PID/stat: "pid (comm) state …"; a zombie's state is Z and its cmdline is empty.
  const state = /\) (\S)/.exec(read('stat'))?.[1];
  const live = pid > 0 && state !== undefined && state !== 'Z' && read('cmdline').includes('containerd');
  if (!live) rmSync(pidFile, { force: true });
}

async function ensureBridge(name: string, subnetPrefix: string): Promise<void> {
  const exists = await run('ip', ['link', 'show', name]).then(
    () => true,
    () => false,
  );
  if (exists) return;
  await run('ip', ['link', 'add', 'name', name, 'type', 'bridge']);
  await run('ip', ['addr', 'add', `${subnetPrefix}.1/24`, 'dev', name]);
  await run('ip', ['link', 'set', name, 'up']);
}

/**
 * Every dockerd on a machine shares the nat table's DOCKER chain: one that starts while another sets
 * up or tears down its rules can find the chain gone ("iptables failed: … Chain 'DOCKER' does not
 * exist") and exit. That race is over in a moment, so such a start is tried once more.
 */
export async function startLocalDockerd(options: LocalDockerdOptions = {}): Promise<LocalDockerd> {
  try {
    return await startLocalDockerdOnce(options);
  } catch (error) {
    if (!/dockerd exited at start[\s\S]*iptables failed/.test((error as Error).message)) throw error;
    return startLocalDockerdOnce(options);
  }
}

async function startLocalDockerdOnce(options: LocalDockerdOptions): Promise<LocalDockerd> {
  if (process.getuid?.() !== 0) throw new Error('The private dockerd needs root (dockerd cannot run rootless here).');
  if (!existsSync('/usr/sbin/dockerd')) throw new Error('dockerd is missing: apt-get install docker.io');
  // A short path: unix socket paths are limited to 107 bytes.
  const keep = options.dir !== undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'berth-dockerd-'));
  mkdirSync(dir, { recursive: true });
  const suffix = String(process.pid % 200);
  const bridge = options.bridge ?? `berthbr${suffix}`;
  const subnetPrefix = options.subnetPrefix ?? `172.29.${suffix}`;
  await ensureBridge(bridge, subnetPrefix);
  for (const sub of ['data', 'exec']) mkdirSync(join(dir, sub), { recursive: true });
  clearStaleContainerdPid(join(dir, 'exec'));
  const socketPath = join(dir, 'docker.sock');
  const logFile = join(dir, 'dockerd.log');
  const log = openSync(logFile, 'a');
  const child: ChildProcess = spawn(
    '/usr/sbin/dockerd',
    [
      '--data-root',
      join(dir, 'data'),
      '--exec-root',
      join(dir, 'exec'),
      '--host',
      `unix://${socketPath}`,
      '--pidfile',
      join(dir, 'docker.pid'),
      '--bridge',
      bridge,
      '--storage-driver',
      'overlay2',
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', log, log], detached: true },
  );
  let exited = false;
  child.on('exit', () => (exited = true));
  await waitFor(
    async () => {
      if (exited) throw new Error(`dockerd exited at start; see ${logFile}:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
      return pingSocket(socketPath);
    },
    60_000,
    'dockerd answering /_ping',
    logFile,
  );
  const pid = child.pid!;
  child.unref();
  return {
    dir,
    socketPath,
    dockerHost: `unix://${socketPath}`,
    pid,
    async stop() {
      const bridges = keep ? [] : await networkBridges(socketPath);
      await stopDockerd(pid, logFile);
      await deleteLinks([bridge, ...bridges]);
      if (keep) return;
      await unmountUnder(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Stops the dockerd whose state lives in `dir` (by its pidfile), for callers that did not start it in
 * this process, such as a test that restarts the engine. Removes the bridge; keeps or removes the dir.
 */
export async function stopDockerdIn(dir: string, bridge: string, options: { keepDir?: boolean } = {}): Promise<void> {
  const pidFile = join(dir, 'docker.pid');
  const bridges = options.keepDir ? [] : await networkBridges(join(dir, 'docker.sock'));
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (pid > 0) await stopDockerd(pid, join(dir, 'dockerd.log'));
  }
  if (options.keepDir) return;
  await deleteLinks([bridge, ...bridges]);
  await unmountUnder(dir);
  rmSync(dir, { recursive: true, force: true });
}

/** Whether a process of ours with this pid still runs (signal 0 checks without sending anything). */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopDockerd(pid: number, logFile: string): Promise<void> {
  if (!processRunning(pid)) return;
  process.kill(pid, 'SIGTERM');
  await waitFor(async () => !processRunning(pid), 30_000, 'dockerd stopping', logFile).catch(() => process.kill(pid, 'SIGKILL'));
}
