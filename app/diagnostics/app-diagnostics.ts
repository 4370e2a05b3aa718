/**
 * Diagnostics for a running Berth: keeps what an archive needs while Berth runs (its recent output, the
 * engine's recent events), knows where the rest is, and writes the archive on request.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { DisposableStore, type Disposable } from '../../base/index.js';
import type { EngineConnection } from '../../engine/core/index.js';
import type { CredentialStore } from '../../engine/images/index.js';
import { writeDiagnostics, fileTail, type DiagnosticsResult } from './diagnostics-archive.js';
import { captureProcessOutput } from './recent-output.js';
import type { Secret } from './redaction.js';
import { privateKeySecrets, registrySecrets } from './state-secrets.js';

const RECENT_EVENTS = 200;
const run = promisify(execFile);

export interface AppDiagnosticsOptions {
  stateDir: string;
  vmStateDir: string;
  projectRoot: string;
  connection: EngineConnection;
  credentials: CredentialStore;
  settings(): unknown;
  machineStatus(): unknown;
  /** Keep the process's output for the archive (off in tests that run several in one process). */
  captureOutput?: boolean;
}

export interface AppDiagnostics extends Disposable {
  diagnose(): Promise<DiagnosticsResult>;
  /** A value known only to a shell (the browser-mode token): never written into an archive. */
  addSecret(secret: Secret): void;
}

async function commandVersion(command: string): Promise<string | null> {
  try {
    const { stdout } = await run(command, ['--version'], { timeout: 3_000 });
    return stdout.split('\n')[0]?.trim() || null;
  } catch {
    return null;
  }
}

function berthVersion(projectRoot: string): string | null {
  try {
    return (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

export function createAppDiagnostics(options: AppDiagnosticsOptions): AppDiagnostics {
  const store = new DisposableStore();
  const output = options.captureOutput === false ? null : store.add(captureProcessOutput());
  const events: unknown[] = [];
  store.add(
    options.connection.onEvent((event) => {
      events.push(event);
      if (events.length > RECENT_EVENTS) events.shift();
    }),
  );
  const shellSecrets: Secret[] = [];
  const { connection } = options;
  return {
    addSecret: (secret) => void shellSecrets.push(secret),
    diagnose: () =>
      writeDiagnostics({
        stateDir: options.stateDir,
        appLog: () => output?.lines() ?? [],
        consoleLogs: () => {
          const names = fs.existsSync(options.vmStateDir) ? fs.readdirSync(options.vmStateDir) : [];
          const logs = names.filter((name) => /^console.*\.log$/.test(name));
          return Object.fromEntries(logs.map((name) => [`vm-${name}`, fileTail(path.join(options.vmStateDir, name))]));
        },
        engine: {
          info: () => connection.docker.info(),
          version: () => connection.docker.version(),
          recentEvents: () => [...events],
        },
        settings: () => options.settings(),
        machineStatus: () => options.machineStatus(),
        versions: async () => ({
          berth: berthVersion(options.projectRoot),
          node: process.version,
          platform: `${process.platform} ${process.arch}`,
          qemu: await commandVersion(process.arch === 'arm64' ? 'qemu-system-aarch64' : 'qemu-system-x86_64'),
        }),
        secrets: async () => [
          ...shellSecrets,
          ...privateKeySecrets(options.stateDir),
          ...(await registrySecrets(options.credentials).catch(() => [])),
        ],
      }),
    dispose: () => store.dispose(),
  };
}
