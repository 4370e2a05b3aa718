/**
 * Which engine Berth talks to. Berth's own engine VM is the default. An engine the user names wins:
 * --engine, else DOCKER_HOST (tests, CI and people who already run dockerd rely on this). With
 * --host-engine Berth uses this computer's engine: the system socket, or on a Linux machine with
 * Debian's dockerd and root, a private dockerd of its own (data kept under Berth's state directory).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Disposable } from '../../base/index.js';
import type { EngineConnection } from '../../engine/core/index.js';
import {
  DEFAULT_UNIX_SOCKET,
  describeEndpoint,
  endpointFromEnvironment,
  parseEngineAddress,
  type EngineEndpoint,
} from '../../engine/core/index.js';
import { startLocalDockerd } from '../../engine/dockerd/index.js';
import type { EngineHost } from '../backend/machine-api.js';
import type { SettingsService } from '../settings/index.js';
import { berthStateDir } from '../state-dir.js';
import { createVmHost } from './vm-host.js';

export interface EngineChoice {
  endpoint: EngineEndpoint;
  host: EngineHost;
  /** Set when Berth started the engine itself and must stop it on exit. */
  ownEngine: { stop(): Promise<void> } | null;
  note: string | null;
  /** Connect now (an existing engine), or let attach() connect when the engine appears (the VM). */
  connectNow: boolean;
  /** Keeps the connection pointed at the engine while it comes and goes; returns a disposer. */
  attach(connection: EngineConnection): Disposable;
}

export interface EngineChoiceOptions {
  /** An explicit engine address (--engine). */
  engine: string | null;
  /** Use this computer's engine instead of the VM (--host-engine). */
  hostEngine: boolean;
  /** Boot Berth's VM even when DOCKER_HOST is set (--vm). */
  vm: boolean;
  /** The project root: the VM's scripts and built image live under it. */
  projectRoot: string;
  /** Berth's settings file, which holds the VM's settings. */
  settings?: SettingsService;
}

const NOTHING_TO_ATTACH = { attach: () => ({ dispose: () => undefined }) };

function existingEngine(endpoint: EngineEndpoint, note: string | null = null): EngineChoice {
  return {
    endpoint,
    host: { kind: 'external', description: describeEndpoint(endpoint) },
    ownEngine: null,
    note,
    connectNow: true,
    ...NOTHING_TO_ATTACH,
  };
}

async function hostEngine(): Promise<EngineChoice> {
  const canRunOwn = process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/sbin/dockerd');
  if (existsSync(DEFAULT_UNIX_SOCKET) || !canRunOwn) return existingEngine({ kind: 'unix', socketPath: DEFAULT_UNIX_SOCKET });
  const dir = join(berthStateDir(), 'host-engine');
  const ownEngine = await startLocalDockerd({ dir, bridge: 'berth0', subnetPrefix: '172.30.99' });
  const endpoint: EngineEndpoint = { kind: 'unix', socketPath: ownEngine.socketPath };
  return {
    ...existingEngine(
      endpoint,
      `No engine at ${DEFAULT_UNIX_SOCKET}: started Berth's own dockerd (data in ${dir}). Your docker CLI can use it: DOCKER_HOST=${ownEngine.dockerHost}`,
    ),
    ownEngine,
  };
}

export async function chooseEngine(options: EngineChoiceOptions): Promise<EngineChoice> {
  if (options.engine) return existingEngine(parseEngineAddress(options.engine));
  if (options.hostEngine) return hostEngine();
  if (process.env.DOCKER_HOST && !options.vm) {
    return existingEngine(endpointFromEnvironment(), `Using DOCKER_HOST=${process.env.DOCKER_HOST}; Berth's VM is not started.`);
  }
  const vmHost = await createVmHost({
    stateDir: join(berthStateDir(), 'vm'),
    projectRoot: options.projectRoot,
    // An image somewhere else: a packaged app's resources, or a test's copy it may damage.
    imageDir: process.env.BERTH_VM_IMAGE_DIR || undefined,
    settings: options.settings,
  });
  return {
    endpoint: vmHost.endpoint,
    host: { kind: 'vm', description: vmHost.description, vm: vmHost.managed },
    ownEngine: vmHost,
    note: null,
    connectNow: false,
    attach: (connection) => vmHost.attach(connection),
  };
}
