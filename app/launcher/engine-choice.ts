/**
 * Which engine Berth talks to: an explicit --engine, else DOCKER_HOST, else the system socket. On a
 * Linux machine with none of those but with Debian's dockerd and root, Berth runs its own private
 * dockerd (data kept under its state directory) so that a fresh machine works at once; the VM takes
 * this place later.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_UNIX_SOCKET, endpointFromEnvironment, parseEngineAddress, type EngineEndpoint } from '../../engine/endpoint.js';
import { startLocalDockerd, type LocalDockerd } from '../../engine/testing/local-dockerd.js';

export interface EngineChoice {
  endpoint: EngineEndpoint;
  /** Set when Berth started the engine itself and must stop it on exit. */
  ownEngine: LocalDockerd | null;
  note: string | null;
}

export function berthStateDir(): string {
  return join(process.env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'berth');
}

export async function chooseEngine(explicit: string | null): Promise<EngineChoice> {
  if (explicit) return { endpoint: parseEngineAddress(explicit), ownEngine: null, note: null };
  if (process.env.DOCKER_HOST) return { endpoint: endpointFromEnvironment(), ownEngine: null, note: null };
  const canRunOwn = process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/sbin/dockerd');
  if (existsSync(DEFAULT_UNIX_SOCKET) || !canRunOwn) {
    return { endpoint: { kind: 'unix', socketPath: DEFAULT_UNIX_SOCKET }, ownEngine: null, note: null };
  }
  const dir = join(berthStateDir(), 'host-engine');
  const ownEngine = await startLocalDockerd({ dir, bridge: 'berth0', subnetPrefix: '172.30.99' });
  return {
    endpoint: { kind: 'unix', socketPath: ownEngine.socketPath },
    ownEngine,
    note: `No engine at ${DEFAULT_UNIX_SOCKET}: started Berth's own dockerd (data in ${dir}). Your docker CLI can use it: DOCKER_HOST=${ownEngine.dockerHost}`,
  };
}
