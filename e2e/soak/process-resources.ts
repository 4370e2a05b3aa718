/**
 * What a process holds, read from outside it: its file descriptors (/proc/PID/fd) and how many of
 * its sockets are connected to a given unix socket (the engine's), matched through `ss`, which lists
 * the server's end of each connection with its path and its peer's inode.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export function openFileDescriptors(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // closed between the listing and the read
    }
  }
  return inodes;
}

/**
 * The peer inodes of the connections accepted on the unix socket at `path`, from `ss -xn` output
 * ("u_str ESTAB 0 0 /path 1234 * 5678": local path and inode, then the peer's).
 */
export function peersOfListener(ssOutput: string, path: string): string[] {
  return ssOutput
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[0] === 'u_str' && fields[1] === 'ESTAB' && fields[4] === path && fields.length >= 8)
    .map((fields) => fields[7]!);
}

/** How many of `pid`'s sockets are connected to the unix socket at `socketPath`. */
export async function connectionsTo(pid: number, socketPath: string): Promise<number> {
  const { stdout } = await run('ss', ['-xn'], { maxBuffer: 64 * 1024 * 1024 });
  const mine = socketInodes(pid);
  return peersOfListener(stdout, socketPath).filter((inode) => mine.has(inode)).length;
}

export interface HeldResources {
  fileDescriptors: number;
  engineConnections: number;
}

export async function heldResources(pid: number, engineSocket: string): Promise<HeldResources> {
  return { fileDescriptors: openFileDescriptors(pid), engineConnections: await connectionsTo(pid, engineSocket) };
}

/**
 * Reads the resources until two readings `intervalMs` apart agree and are at most `target` (when
 * given), or `timeoutMs` passes: the last reading. Sockets close a moment after their streams end.
 */
export async function settledResources(
  pid: number,
  engineSocket: string,
  options: { target?: HeldResources; timeoutMs: number; intervalMs?: number },
): Promise<HeldResources> {
  const interval = options.intervalMs ?? 500;
  const deadline = Date.now() + options.timeoutMs;
  let last = await heldResources(pid, engineSocket);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, interval));
    const now = await heldResources(pid, engineSocket);
    const stable = now.fileDescriptors === last.fileDescriptors && now.engineConnections === last.engineConnections;
    const atTarget =
      !options.target ||
      (now.fileDescriptors <= options.target.fileDescriptors && now.engineConnections <= options.target.engineConnections);
    last = now;
    if ((stable && atTarget) || Date.now() > deadline) return last;
  }
}
