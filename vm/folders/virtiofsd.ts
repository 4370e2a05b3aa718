/**
 * The virtiofsd processes behind the shared folders: one per folder, started before QEMU (QEMU connects
 * to each vhost-user socket at start and fails without it) and stopped after QEMU exits. virtiofsd
 * also exits by itself when QEMU closes the socket; stop() covers a QEMU that never connected.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Disposable } from '../../base/index.js';
import { VmError } from '../vm-error.js';
import type { SharedFolderMount } from './shared-folders.js';

const SOCKET_WAIT_MS = 10_000;
const STOP_GRACE_MS = 2_000;

/** Debian 12 ships the C virtiofsd inside qemu-system-common; Debian 13 and Ubuntu 24.04 ship the Rust one in its own package. */
const VIRTIOFSD_PATHS = ['/usr/lib/qemu/virtiofsd', '/usr/libexec/virtiofsd', '/usr/lib/virtiofsd'];

/** firstDirs: searched before the system's places (the folder of a QEMU the caller chose: newer-qemu.sh puts one there). */
export function findVirtiofsd(searchPath = process.env.PATH ?? '', firstDirs: readonly string[] = []): string | null {
  const inPath = searchPath
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, 'virtiofsd'));
  const first = firstDirs.map((dir) => path.join(dir, 'virtiofsd'));
  return [...first, ...VIRTIOFSD_PATHS, ...inPath].find(isExecutable) ?? null;
}

const migrationModes = new Map<string, Promise<boolean>>();

/**
 * Whether this virtiofsd can hand its state over with the VM's (`--migration-mode`, in the Rust
 * virtiofsd since 1.11): without it, QEMU refuses to save a VM with a virtiofs device. Asked once per
 * program (`--help`).
 */
export function virtiofsdMigrates(binary: string): Promise<boolean> {
  let known = migrationModes.get(binary);
  if (known === undefined) {
    // An old virtiofsd may print its help and exit non-zero: its stdout is read either way.
    known = new Promise((resolve) =>
      execFile(binary, ['--help'], { encoding: 'utf8', timeout: 10_000 }, (_error, stdout) =>
        resolve(stdout.includes('--migration-mode')),
      ),
    );
    migrationModes.set(binary, known);
  }
  return known;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export interface VirtiofsDevice {
  tag: string;
  socketPath: string;
}

export interface VirtiofsDaemons extends Disposable {
  /** What QEMU attaches: one vhost-user-fs device per socket. */
  readonly devices: VirtiofsDevice[];
  /** Every daemon can hand its state over with the VM's (boot snapshots); true when there is none. */
  readonly migratable: boolean;
  /** TERM, then KILL after a grace period; resolves when every daemon has exited. */
  stop(): Promise<void>;
}

interface Daemon {
  child: ChildProcess;
  exited: Promise<void>;
  logPath: string;
}

/**
 * Starts one virtiofsd per mount, with its vhost-user socket and log in runDir, and resolves once every
 * socket exists. cache=auto: the guest caches for a second and revalidates on open, so a file the host
 * just wrote is seen by the next container that opens it.
 */
export async function startVirtiofsDaemons(
  mounts: readonly SharedFolderMount[],
  runDir: string,
  firstDirs: readonly string[] = [],
): Promise<VirtiofsDaemons> {
  if (mounts.length === 0) return { devices: [], migratable: true, stop: async () => undefined, dispose: () => undefined };
  const binary = findVirtiofsd(undefined, firstDirs);
  if (!binary) {
    throw new VmError(
      process.platform === 'linux'
        ? 'Shared folders need virtiofsd, which is not installed: install qemu-system-common (Debian 12) or virtiofsd (Debian 13, Ubuntu 24.04).'
        : 'Shared folders need virtiofsd, which is not installed.',
    );
  }
  const migratable = await virtiofsdMigrates(binary);
  const daemons: Daemon[] = [];
  const stop = async (): Promise<void> => {
    for (const daemon of daemons) daemon.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)));
    await Promise.race([Promise.all(daemons.map((daemon) => daemon.exited)), grace]);
    clearTimeout(timer);
    for (const daemon of daemons)
      if (daemon.child.exitCode === null && daemon.child.signalCode === null) daemon.child.kill('SIGKILL');
    await Promise.all(daemons.map((daemon) => daemon.exited));
  };
  try {
    for (const mount of mounts) {
      const socketPath = path.join(runDir, `${mount.tag}.sock`);
      const logPath = path.join(runDir, `${mount.tag}.virtiofsd.log`);
      fs.rmSync(socketPath, { force: true });
      const log = fs.openSync(logPath, 'w');
      // -o values are comma-separated; a comma (or backslash) in a folder name is escaped with a backslash.
      const source = mount.path.replace(/[\\,]/g, '\\$&');
      const args = [`--socket-path=${socketPath}`, '-o', `source=${source}`, '-o', 'cache=auto'];
      // find-paths: the state handed over is the path of each file the guest has open, found again by
      // the next virtiofsd (the folders are not mounted yet at the boot snapshot's point: none then).
      if (migratable) args.push('--migration-mode=find-paths');
      // The namespace sandbox needs root. Without it: a user and mount namespace where this user is
      // root gives virtiofsd the same sandbox (and files the guest creates belong to this user on the
      // host); a private tmpfs on /run takes the pid file virtiofsd insists on writing under
      // /run/virtiofsd, which only root may create.
      const [command, argv] =
        process.getuid?.() === 0
          ? [binary, args]
          : ['unshare', ['-rm', '--', 'sh', '-c', 'mount -t tmpfs tmpfs /run && exec "$0" "$@"', binary, ...args]];
      const child = spawn(command, argv, { stdio: ['ignore', log, log] });
      fs.closeSync(log);
      const exited = new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.once('error', () => resolve());
      });
      daemons.push({ child, exited, logPath });
      await waitForSocket(socketPath, daemons.at(-1)!, mount.path);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    devices: mounts.map((mount) => ({ tag: mount.tag, socketPath: path.join(runDir, `${mount.tag}.sock`) })),
    migratable,
    stop,
    dispose: () => {
      for (const daemon of daemons) daemon.child.kill('SIGTERM');
    },
  };
}

async function waitForSocket(socketPath: string, daemon: Daemon, folder: string): Promise<void> {
  const deadline = Date.now() + SOCKET_WAIT_MS;
  let exited = false;
  void daemon.exited.then(() => (exited = true));
  while (!fs.existsSync(socketPath)) {
    if (exited || Date.now() > deadline) {
      const log = fs.existsSync(daemon.logPath)
        ? fs.readFileSync(daemon.logPath, 'utf8').trim().split('\n').slice(-5).join(' | ')
        : '';
      throw new VmError(`Could not share ${folder}: virtiofsd ${exited ? 'exited' : 'did not start'}${log ? ` (${log})` : ''}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
