/**
 * Starting a headless Berth for `berth start` when none runs: the launcher with --headless, detached
 * (it outlives this command and any terminal), its output appended to a log file in the state folder.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { controlSocketPath, LOG_FILE_ENV, probeControlSocket } from '../control/index.js';
import { CliError, EXIT } from './exit-codes.js';

export const HEADLESS_LOG_NAME = 'headless.log';

/** How to run the launcher from where this command runs: the checkout's sources (tsx), or the bundle beside it. */
export function launcherCommand(moduleUrl = import.meta.url): { command: string; args: string[]; cwd: string } {
  const here = dirname(fileURLToPath(moduleUrl));
  if (moduleUrl.endsWith('.ts')) {
    const repoRoot = join(here, '..', '..');
    return { command: process.execPath, args: ['--import', 'tsx', join(repoRoot, 'app/launcher/main.ts')], cwd: repoRoot };
  }
  // Bundled: dist/app/berth-cli.mjs beside dist/app/berth.mjs.
  return { command: process.execPath, args: [join(here, 'berth.mjs')], cwd: join(here, '..', '..') };
}

function logTail(logFile: string, from: number): string {
  try {
    const text = fs.readFileSync(logFile, 'utf8').slice(from).trim();
    return text.split('\n').slice(-8).join('\n');
  } catch {
    return '';
  }
}

export interface HeadlessStart {
  pid: number;
  logFile: string;
}

/** Starts it and waits until its control socket answers; fails with the log's tail if it ends first. */
export async function startHeadlessBerth(
  stateDir: string,
  launchArgs: readonly string[],
  timeoutMs = 60_000,
): Promise<HeadlessStart> {
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const logFile = join(stateDir, HEADLESS_LOG_NAME);
  const log = fs.openSync(logFile, 'a', 0o600);
  const startedAt = fs.fstatSync(log).size;
  const { command, args, cwd } = launcherCommand();
  const child = spawn(command, [...args, '--headless', ...launchArgs], {
    cwd,
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, [LOG_FILE_ENV]: logFile },
  });
  fs.closeSync(log);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  child.unref();
  const socketPath = controlSocketPath(stateDir);
  const deadline = Date.now() + timeoutMs;
  while ((await probeControlSocket(socketPath)) !== 'live') {
    if (exited !== undefined) {
      throw new CliError(
        EXIT.failed,
        `The headless Berth ended at start (exit ${exited}). Its log (${logFile}):\n${logTail(logFile, startedAt)}`,
      );
    }
    if (Date.now() > deadline) {
      throw new CliError(
        EXIT.timedOut,
        `The headless Berth (pid ${child.pid}) did not open its control socket within ${timeoutMs / 1000} s. See ${logFile}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return { pid: child.pid!, logFile };
}
