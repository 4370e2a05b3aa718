/**
 * The contract's implementation: maps each method and stream onto the engine services. Arguments
 * arrive already validated by ApiSession; this file only decides what each call means.
 */
import { subscribeToQueue } from '../../base/index.js';
import type { ConnectionState } from '../../engine/core/index.js';
import { describeEndpoint } from '../../engine/core/index.js';
import type { EngineEventItem } from '../contract/contract.js';
import type { EngineRegistry } from '../engines/index.js';
import { createAppImplementation } from './app-api.js';
import { createComposeImplementation, type ChooseComposeFile } from './compose-api.js';
import { createContainerImplementation } from './container-api.js';
import { createEnginesImplementation, singleEngineRegistry } from './engines-api.js';
import { createImageImplementation } from './image-api.js';
import { createLogsImplementation } from './logs-api.js';
import { createMachineImplementation, type EngineHost } from './machine-api.js';
import { createNetworkImplementation } from './network-api.js';
import { createSettingsImplementation, diagnoseWith, diagnosticsChunks, type AppFacilities } from './settings-api.js';
import { createSystemImplementation } from './system-api.js';
import { createTerminalImplementation } from './terminal-api.js';
import { createVolumeDetailImplementation } from './volume-detail-api.js';
import { createVolumeTransferImplementation } from './volume-transfer-api.js';
import type { EngineServices } from './engine-services.js';
import type { BerthImplementation } from './implementation.js';

/** Events buffered per subscriber before the oldest are dropped (and the renderer refreshes). */
const EVENT_BUFFER = 2_000;

/** What the implementation is built over besides the engine services; tests give only the services. */
export interface BerthImplementationParts {
  /** Where the engine runs; without one, an engine the user named, which Berth does not manage. */
  host?: EngineHost;
  /** The engines to switch between; without one, the list is the one engine. */
  engines?: EngineRegistry;
  /** The settings file and the diagnostics archive; without them those calls say they are not there. */
  facilities?: AppFacilities;
  /** The shell's own file picker for compose files (Electron's dialog). */
  chooseComposeFile?: ChooseComposeFile;
}

export function createBerthImplementation(services: EngineServices, parts: BerthImplementationParts = {}): BerthImplementation {
  const { connection, containers, images, volumes, terminals } = services;
  const host = parts.host ?? { kind: 'external', description: describeEndpoint(connection.endpoint) };
  const engines = parts.engines ?? singleEngineRegistry(services, host.description);
  const facilities = parts.facilities ?? { settings: null, diagnose: null };

  return {
    // A shell replaces it with one that knows its doors (app/control/app-shell.ts).
    app: createAppImplementation(null),
    containers: {
      list: () => containers.list(),
      listByIds: ({ ids }) => containers.listByIds(ids),
      start: async ({ id }) => (await containers.start(id), null),
      stop: async ({ id }) => (await containers.stop(id), null),
      restart: async ({ id }) => (await containers.restart(id), null),
      remove: async ({ id, force }) => (await containers.remove(id, { force }), null),
      ...createContainerImplementation(containers),
    },
    images: createImageImplementation(images),
    volumes: {
      list: () => volumes.list(),
      create: ({ name }) => volumes.create(name),
      remove: async ({ name }) => (await volumes.remove(name), null),
      ...createVolumeDetailImplementation(volumes, services.volumeBrowser, services.diskUsage),
      ...createVolumeTransferImplementation(services.volumeTransfers),
    },
    engine: {
      // keep-latest: a slow page gets the newest state, never a backlog of old ones.
      state: (_args, _peer, signal) =>
        subscribeToQueue<ConnectionState>({ capacity: 1, overflow: 'keep-latest', signal, initial: connection.state }, (queue) =>
          connection.onStateChange((state) => queue.push(state)),
        ),
      events: (_args, _peer, signal) => {
        const queue = subscribeToQueue<EngineEventItem>({ capacity: EVENT_BUFFER, overflow: 'drop-oldest', signal }, (events) =>
          connection.onEvent((event) => events.push({ kind: 'event', event })),
        );
        return (async function* () {
          for await (const item of queue) {
            const dropped = queue.takeDropped();
            if (dropped > 0) yield { kind: 'overflow', dropped } satisfies EngineEventItem;
            yield item;
          }
        })();
      },
    },
    logs: createLogsImplementation(services.logsExplorer),
    terminal: createTerminalImplementation(terminals),
    networks: createNetworkImplementation(services.networks),
    system: {
      ...createSystemImplementation(services.diskUsage, services.portHolders),
      diagnose: () => diagnoseWith(facilities.diagnose),
      diagnosticsDownload: ({ name }) => diagnosticsChunks(facilities.diagnosticsDir, name),
    },
    machine: createMachineImplementation(host),
    engines: createEnginesImplementation(engines),
    settings: createSettingsImplementation(facilities.settings),
    compose: createComposeImplementation(services.compose, parts.chooseComposeFile),
  };
}
