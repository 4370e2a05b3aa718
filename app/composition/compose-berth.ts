/**
 * The composition root, one for every shell (the launcher's browser mode and Electron): it chooses the
 * engine, builds the engine services over it and the contract's implementation over them, and knows
 * the order to release them in. A shell adds only what is its own: a web server, or a window and IPC.
 */
import { join } from 'node:path';
import { createKeyFileCredentialStore, type CredentialStore } from '../../engine/images/index.js';
import { createBerthImplementation } from '../backend/berth-api.js';
import type { ChooseComposeFile } from '../backend/compose-api.js';
import { withDiskFullAdvice } from '../backend/disk-full-advice.js';
import { createEngineServices, type EngineServices } from '../backend/engine-services.js';
import type { BerthImplementation } from '../backend/implementation.js';
import { machineStatus, type EngineHost } from '../backend/machine-api.js';
import { DEFAULT_HEARTBEAT, describeEndpoint, type EngineClientOptions } from '../../engine/core/index.js';
import { createAppDiagnostics, type Secret } from '../diagnostics/index.js';
import { createFileEngineListStore, EngineRegistry, type BuiltInEngine } from '../engines/index.js';
import { openSettings, type SettingsService } from '../settings/index.js';
import { ensureBerthStateDir } from '../state-dir.js';
import { composeToolFor } from './compose-tool.js';
import { chooseEngine, type EngineChoice } from './engine-choice.js';
import type { LaunchOptions } from './launch-options.js';

/** Engine events after which the VM's disk may have room again. */
const FREES_SPACE = new Set(['container destroy', 'image delete', 'volume destroy']);

export interface BerthApp {
  readonly services: EngineServices;
  readonly implementation: BerthImplementation;
  readonly host: EngineHost;
  readonly settings: SettingsService;
  /** A value only the shell knows (the browser-mode token), kept out of diagnostics archives. */
  addSecret(secret: Secret): void;
  /** What the engine choice has to tell the user ("Using DOCKER_HOST=…"), or null. */
  readonly note: string | null;
  /**
   * Releases everything, in order: the connection stops following the engine, the services close
   * (terminals, then the connection), then an engine Berth started stops (the VM syncs and powers off).
   */
  shutdown(): Promise<void>;
}

export interface ShellParts {
  /** Where the VM's scripts and image live: the checkout, or a packaged app's resources. */
  projectRoot: string;
  /** Another store for registry logins (Electron: the OS keychain); by default a key file in Berth's state dir. */
  credentials?: CredentialStore;
  /** A native open dialog for compose files (Electron); browser mode types the path. */
  chooseComposeFile?: ChooseComposeFile;
}

export async function composeBerth(
  options: Pick<LaunchOptions, 'engine' | 'vm' | 'hostEngine'>,
  shell: ShellParts,
): Promise<BerthApp> {
  // Before anything reads or writes in it: the VM's disk and keys, the registry logins' key.
  const stateDir = ensureBerthStateDir();
  const vmStateDir = join(stateDir, 'vm');
  // Before the VM: it reads its settings from this file (an older VM settings file is moved into it).
  const settings = openSettings({ stateDir, vmStateDir });
  const settingsWatch = settings.watch();
  const choice = await chooseEngine({
    engine: options.engine,
    vm: options.vm,
    hostEngine: options.hostEngine,
    projectRoot: shell.projectRoot,
    settings,
  });
  // BERTH_SSH_CONFIG: an ssh config file (ssh -F) instead of ~/.ssh/config for ssh:// engines.
  const clientOptions: EngineClientOptions = process.env.BERTH_SSH_CONFIG
    ? { ssh: { configFile: process.env.BERTH_SSH_CONFIG } }
    : {};
  const credentials = shell.credentials ?? createKeyFileCredentialStore(stateDir);
  const services = createEngineServices(choice.endpoint, {
    connectNow: choice.connectNow,
    clientOptions,
    // The UI says within 2 s when Berth's VM stops answering, not only when it closes the connection: its
    // link can be cut or its guest hang while QEMU keeps the TCP connection open. Only the VM: this
    // computer's engine says it went through its socket and event stream, and a 1 s ping to a dockerd
    // that is only busy (the API fuzzer's 8 calls at once, 2 cores) lost it 230 times in 10,000 calls,
    // refusing calls meanwhile. The VM answers it on a path of its own, which neither keeps the VM from
    // resting nor wakes it.
    heartbeat: {
      ...DEFAULT_HEARTBEAT,
      active: () => choice.host.kind === 'vm' && engines.active === 'vm',
      pingVia: () => {
        const vm = choice.host.kind === 'vm' && engines.active === 'vm' ? choice.host.vm : null;
        return vm?.heartbeatPing ? (signal) => vm.heartbeatPing!(signal) : null;
      },
    },
    credentials,
    // A run on another engine (e.g. the host's) can find its port held by one of the VM's forwards.
    berthForward: (port) => (choice.host.kind === 'vm' ? (choice.host.vm.forwardHolding?.(port) ?? null) : null),
    // A run or start on the VM says "running" once its ports answer on this computer (not on another engine).
    forwardsReady: async (containerId) => {
      if (choice.host.kind === 'vm' && engines.active === 'vm') await choice.host.vm.forwardsReady?.(containerId);
    },
    // The engine in use, whichever it is now: compose follows a switch like every view.
    composeTool: composeToolFor(
      shell.projectRoot,
      () => (engines.active === 'vm' ? choice.host : { kind: 'external', description: engines.active }),
      () => services.connection.endpoint,
    ),
  });
  const engines = new EngineRegistry({
    connection: services.connection,
    store: createFileEngineListStore(join(stateDir, 'engines.json')),
    builtIns: builtInEngines(choice),
    clientOptions,
  });
  // Whatever is removed frees space: the Engine view stops saying the VM's disk is full (a write that
  // still fails says it again).
  const vm = choice.host.kind === 'vm' ? choice.host.vm : null;
  const spaceFreed = services.connection.onEvent((event) => {
    if (vm && engines.active === 'vm' && FREES_SPACE.has(`${event.type} ${event.action}`)) vm.clearDiskFull();
  });
  // The VM's boots repoint the connection only while the VM is the engine in use.
  const attachment = choice.attach(engines.vmTarget);
  if (choice.byDefault) engines.restoreSaved();
  const diagnostics = createAppDiagnostics({
    stateDir,
    vmStateDir,
    projectRoot: shell.projectRoot,
    connection: services.connection,
    credentials,
    settings: () => settings.list(),
    machineStatus: () => machineStatus(choice.host),
  });
  let stopping: Promise<void> | undefined;
  return {
    services,
    implementation: withDiskFullAdvice(
      createBerthImplementation(services, {
        host: choice.host,
        engines,
        facilities: { settings, diagnose: () => diagnostics.diagnose(), diagnosticsDir: join(stateDir, 'diagnostics') },
        ...(shell.chooseComposeFile ? { chooseComposeFile: shell.chooseComposeFile } : {}),
      }),
      // Berth's VM names its disk and size; another engine's full disk keeps the engine's words.
      () => (vm && engines.active === 'vm' ? vm.noteDiskFull() : null),
    ),
    host: choice.host,
    settings,
    addSecret: (secret) => diagnostics.addSecret(secret),
    note: choice.note,
    shutdown() {
      stopping ??= (async () => {
        attachment.dispose();
        spaceFreed.dispose();
        engines.dispose();
        settingsWatch.dispose();
        diagnostics.dispose();
        await services.dispose();
        await choice.ownEngine?.stop();
      })();
      return stopping;
    },
  };
}

/** The engines Berth brings to the list: the one it started with first, then this computer's engine when that is another. */
function builtInEngines(choice: EngineChoice): BuiltInEngine[] {
  const first: BuiltInEngine =
    choice.host.kind === 'vm'
      ? { id: 'vm', name: "Berth's VM", endpoint: choice.endpoint, description: choice.host.description }
      : {
          id: 'local',
          name:
            choice.endpoint.kind === 'unix' || choice.endpoint.kind === 'npipe'
              ? "This computer's engine"
              : 'The engine Berth started with',
          endpoint: choice.endpoint,
        };
  const local = choice.host.kind === 'vm' ? choice.localEngine : null;
  return local
    ? [first, { id: 'local', name: "This computer's engine", endpoint: local, description: describeEndpoint(local) }]
    : [first];
}
