/**
 * Which engine Berth talks to: an explicit --engine, else DOCKER_HOST, else the system socket. On a
 * Linux machine with none of those but with Debian's dockerd and root, Berth runs its own private
 * dockerd (data kept under its state directory) so that a fresh machine works at once. With --vm,
 * Berth boots its own engine VM instead (the VM issue makes that the default once it is complete).
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_UNIX_SOCKET, endpointFromEnvironment, parseEngineAddress, type EngineEndpoint } from '../../engine/endpoint.js';
import { startLocalDockerd } from '../../engine/testing/local-dockerd.js';
import { VM_STEP_LABELS } from '../../vm/lifecycle/vm-state.js';
import { VmService } from '../../vm/vm-service.js';

export interface EngineChoice {
  endpoint: EngineEndpoint;
  /** Set when Berth started the engine itself and must stop it on exit. */
  ownEngine: { stop(): Promise<void> } | null;
  note: string | null;
}

export function berthStateDir(): string {
  return join(process.env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'berth');
}

export interface EngineChoiceOptions {
  /** An explicit engine address (--engine). */
  engine: string | null;
  /** Boot Berth's own engine VM (--vm). */
  vm: boolean;
  /** The project root: the VM's scripts and built image live under it. */
  projectRoot: string;
}

async function startEngineVm(projectRoot: string): Promise<EngineChoice> {
  const vm = new VmService({
    stateDir: join(berthStateDir(), 'vm'),
    imageDir: join(projectRoot, 'vm', '.build', 'image'),
    vmSourceDir: join(projectRoot, 'vm'),
  });
  // Progress on the console until the UI shows it (the VM issue's next step).
  vm.onStateChange((state) => {
    if (state.kind === 'starting') console.log(`VM: ${VM_STEP_LABELS[state.step]}…`);
    if (state.kind === 'running') console.log(`VM: running (engine ready ${(state.bootMs / 1000).toFixed(1)} s after boot)`);
  });
  await vm.start();
  return { endpoint: vm.endpoint(), ownEngine: vm, note: vm.notice };
}

export async function chooseEngine(options: EngineChoiceOptions): Promise<EngineChoice> {
  const explicit = options.engine;
  if (explicit) return { endpoint: parseEngineAddress(explicit), ownEngine: null, note: null };
  if (options.vm) return startEngineVm(options.projectRoot);
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
