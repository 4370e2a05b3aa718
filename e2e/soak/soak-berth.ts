/**
 * Berth under soak: browser mode as `npm run web` starts it (the built bundle, one Node process, so
 * its RSS and descriptors are the server's), over the soak's engine, with a state folder of its own
 * (another Berth on this computer keeps its own). Its log goes to a file, not a pipe a busy soak
 * would read late.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBerthUrl } from '../../app/launcher/testing/berth-url.js';

const repoRoot = join(import.meta.dirname, '../..');

export interface BerthUnderSoak {
  readonly pid: number;
  readonly url: string;
  readonly port: number;
  readonly token: string;
  rssMiB(): number;
  logTail(lines: number): string;
  stop(): Promise<void>;
}

export async function startBerthForSoak(dockerHost: string, sandbox: string): Promise<BerthUnderSoak> {
  const stateHome = join(sandbox, 'state');
  mkdirSync(stateHome, { recursive: true, mode: 0o700 });
  const logPath = join(sandbox, 'berth.log');
  const log = openSync(logPath, 'a');
  const child: ChildProcess = spawn(process.execPath, ['dist/app/berth.mjs', '--web', '--engine', dockerHost], {
    cwd: repoRoot,
    env: { ...process.env, XDG_STATE_HOME: stateHome },
    stdio: ['ignore', 'pipe', log],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = new URL(await readBerthUrl(child));
  return {
    pid: child.pid!,
    url: url.toString(),
    port: Number(url.port),
    token: new URLSearchParams(url.hash.slice(1)).get('token')!,
    rssMiB() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
    },
    logTail: (lines) => readFileSync(logPath, 'utf8').split('\n').slice(-lines).join('\n'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
