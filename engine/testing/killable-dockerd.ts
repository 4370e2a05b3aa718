/**
 * A private dockerd of a test's own that the test may SIGKILL and start again on the same data-root,
 * as a crashed engine would be: never the shared one of the global setup, which other test files use
 * at the same time. Its own bridge and subnet (overridable, so two checkouts on one machine differ).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processRunning, startLocalDockerd, stopDockerdIn } from '../dockerd/index.js';
import { waitFor } from './wait-for.js';

export interface KillableDockerd {
  readonly dir: string;
  readonly socketPath: string;
  readonly dockerHost: string;
  /** SIGKILL, as a crash: no shutdown, containers and streams cut off. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts dockerd again on the same data-root; resolves when it answers /_ping. */
  restart(): Promise<void>;
  /** Stops it and removes its directory and bridges. */
  dispose(): Promise<void>;
}

export async function startKillableDockerd(purpose: string): Promise<KillableDockerd> {
  const bridge = process.env.BERTH_FAULTS_BRIDGE ?? 'berthfault0';
  const subnetPrefix = process.env.BERTH_FAULTS_SUBNET ?? '172.29.246';
  const dir = mkdtempSync(join(tmpdir(), `berth-${purpose}-`));
  const options = { dir, bridge, subnetPrefix };
  const first = await startLocalDockerd(options);
  let pid = first.pid;
  return {
    dir,
    socketPath: first.socketPath,
    dockerHost: first.dockerHost,
    async kill() {
      process.kill(pid, 'SIGKILL');
      await waitFor('the killed dockerd to be gone', () => !processRunning(pid), { timeoutMs: 10_000 });
    },
    async restart() {
      pid = (await startLocalDockerd(options)).pid;
    },
    dispose: () => stopDockerdIn(dir, bridge),
  };
}
