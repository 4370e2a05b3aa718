/**
 * The composition root, one for every shell (the launcher's browser mode and Electron): it chooses the
 * engine, builds the engine services over it and the contract's implementation over them, and knows
 * the order to release them in. A shell adds only what is its own: a web server, or a window and IPC.
 */
import type { CredentialStore } from '../../engine/images/index.js';
import { createBerthImplementation } from '../backend/berth-api.js';
import type { ChooseComposeFile } from '../backend/compose-api.js';
import { createEngineServices, type EngineServices } from '../backend/engine-services.js';
import type { BerthImplementation } from '../backend/implementation.js';
import type { EngineHost } from '../backend/machine-api.js';
import { ensureBerthStateDir } from '../state-dir.js';
import { composeToolFor } from './compose-tool.js';
import { chooseEngine } from './engine-choice.js';
import type { LaunchOptions } from './launch-options.js';

export interface BerthApp {
  readonly services: EngineServices;
  readonly implementation: BerthImplementation;
  readonly host: EngineHost;
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
  ensureBerthStateDir();
  const choice = await chooseEngine({
    engine: options.engine,
    vm: options.vm,
    hostEngine: options.hostEngine,
    projectRoot: shell.projectRoot,
  });
  const services = createEngineServices(choice.endpoint, {
    connectNow: choice.connectNow,
    composeTool: composeToolFor(
      shell.projectRoot,
      () => choice.host,
      () => services.connection.endpoint,
    ),
    ...(shell.credentials ? { credentials: shell.credentials } : {}),
  });
  const attachment = choice.attach(services.connection);
  let stopping: Promise<void> | undefined;
  return {
    services,
    implementation: createBerthImplementation(services, choice.host, { chooseComposeFile: shell.chooseComposeFile }),
    host: choice.host,
    note: choice.note,
    shutdown() {
      stopping ??= (async () => {
        attachment.dispose();
        await services.dispose();
        await choice.ownEngine?.stop();
      })();
      return stopping;
    },
  };
}
