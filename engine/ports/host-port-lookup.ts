/**
 * Which process of this computer listens on a TCP port: one interface, one implementation per system.
 * Only Linux runs in our tests; macOS and Windows run their system's tool and share its parser's tests.
 * When the holder cannot be seen (another user's process, without root), the answer says so.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { promisify } from 'node:util';
import {
  parseLsofListeners,
  parseNetstatListeners,
  parseProcNetTcp,
  parseTasklist,
  socketInode,
  type ProcessListener,
} from './host-listeners.js';

import type { HostPortProcess } from './port-holder-types.js';

export type { HostPortProcess };

const run = promisify(execFile);

export interface HostPortLookup {
  holderOf(port: number): Promise<HostPortProcess>;
}

const first = (listeners: ProcessListener[]): HostPortProcess =>
  listeners[0] ? { kind: 'process', ...listeners[0] } : { kind: 'none' };

export class LinuxPortLookup implements HostPortLookup {
  constructor(private readonly proc = '/proc') {}

  async holderOf(port: number): Promise<HostPortProcess> {
    const tables = await Promise.all(['tcp', 'tcp6'].map((name) => readFile(`${this.proc}/net/${name}`, 'utf8').catch(() => '')));
    const sockets = tables.flatMap(parseProcNetTcp).filter((socket) => socket.port === port);
    if (sockets.length === 0) return { kind: 'none' };
    const inodes = new Set(sockets.map((socket) => socket.inode));
    for (const pid of await this.pids()) {
      const fds = await readdir(`${this.proc}/${pid}/fd`).catch(() => [] as string[]);
      for (const fd of fds) {
        const inode = socketInode(await readlink(`${this.proc}/${pid}/fd/${fd}`).catch(() => ''));
        if (inode !== null && inodes.has(inode)) {
          const program = (await readFile(`${this.proc}/${pid}/comm`, 'utf8').catch(() => '?')).trim();
          return { kind: 'process', pid, program };
        }
      }
    }
    const uid = sockets[0]!.uid;
    const mine = process.getuid?.() === uid;
    return {
      kind: 'unseen',
      reason: mine
        ? 'its process is not visible to Berth'
        : `it belongs to another user (uid ${uid}), whose processes Berth cannot see without root`,
    };
  }

  private async pids(): Promise<number[]> {
    const entries = await readdir(this.proc).catch(() => [] as string[]);
    return entries.filter((entry) => /^\d+$/.test(entry)).map(Number);
  }
}

export class MacPortLookup implements HostPortLookup {
  async holderOf(port: number): Promise<HostPortProcess> {
    try {
      const { stdout } = await run('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN']);
      return first(parseLsofListeners(stdout));
    } catch (error) {
      // lsof exits 1 when it finds nothing it may show: free, or another user's.
      const output = (error as { stdout?: string }).stdout ?? '';
      const found = parseLsofListeners(output);
      return found.length > 0 ? first(found) : { kind: 'none' };
    }
  }
}

export class WindowsPortLookup implements HostPortLookup {
  async holderOf(port: number): Promise<HostPortProcess> {
    const { stdout } = await run('netstat', ['-ano', '-p', 'TCP']);
    const pid = parseNetstatListeners(stdout, port)[0];
    if (pid === undefined) return { kind: 'none' };
    const tasks = await run('tasklist', ['/FO', 'CSV', '/NH', '/FI', `PID eq ${pid}`]).catch(() => ({ stdout: '' }));
    const program = parseTasklist(tasks.stdout).get(pid);
    return program ? { kind: 'process', pid, program } : { kind: 'unseen', reason: `process ${pid} is not visible to Berth` };
  }
}

export function hostPortLookupFor(platform: NodeJS.Platform = process.platform): HostPortLookup {
  if (platform === 'darwin') return new MacPortLookup();
  if (platform === 'win32') return new WindowsPortLookup();
  return new LinuxPortLookup();
}
