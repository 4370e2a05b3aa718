/**
 * What a shell (the launcher, Electron) tells the `app` namespace of the contract: its version and
 * doors. The link is read when asked, since the browser-mode server listens after the app is built.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppShell } from '../backend/app-api.js';
import type { AppInfo } from '../contract/app-contract.js';

/** The environment variable `berth start` sets for the headless Berth it starts: where its output goes. */
export const LOG_FILE_ENV = 'BERTH_LOG_FILE';

export function berthVersion(projectRoot: string): string {
  try {
    return (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export interface ShellDoors {
  shell: AppInfo['shell'];
  projectRoot: string;
  stateDir: string;
  controlSocket: string | null;
  browserLink(): string | null;
  quit(): void;
}

export function createAppShell(doors: ShellDoors): AppShell {
  const version = berthVersion(doors.projectRoot);
  return {
    info: () => ({
      version,
      pid: process.pid,
      shell: doors.shell,
      stateDir: doors.stateDir,
      controlSocket: doors.controlSocket,
      browserLink: doors.browserLink(),
      logFile: process.env[LOG_FILE_ENV] ?? null,
    }),
    quit: () => doors.quit(),
  };
}
