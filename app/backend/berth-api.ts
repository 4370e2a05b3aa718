/**
 * The contract's implementation: maps each method and stream onto the engine services. Arguments
 * arrive already validated by ApiSession; this file only decides what each call means.
 */
import { subscribeToQueue } from '../../base/index.js';
import type { ConnectionState } from '../../engine/core/index.js';
import { describeEndpoint } from '../../engine/core/index.js';
import type { EngineEventItem } from '../contract/contract.js';
import { createContainerImplementation } from './container-api.js';
import { createImageImplementation } from './image-api.js';
import { createMachineImplementation, type EngineHost } from './machine-api.js';
import { createNetworkImplementation } from './network-api.js';
import { createSystemImplementation } from './system-api.js';
import { createTerminalImplementation } from './terminal-api.js';
import { createVolumeDetailImplementation } from './volume-detail-api.js';
import { createVolumeTransferImplementation } from './volume-transfer-api.js';
import type { EngineServices } from './engine-services.js';
import type { BerthImplementation } from './implementation.js';

/** Events buffered per subscriber before the oldest are dropped (and the renderer refreshes). */
const EVENT_BUFFER = 2_000;

/** Without a host, the engine is one the user named and Berth does not manage (tests, --engine). */
export function createBerthImplementation(
  services: EngineServices,
  host: EngineHost = { kind: 'external', description: describeEndpoint(services.connection.endpoint) },
): BerthImplementation {
  const { connection, containers, images, volumes, terminals } = services;

  return {
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
    terminal: createTerminalImplementation(terminals),
    networks: createNetworkImplementation(services.networks),
    system: createSystemImplementation(services.diskUsage, services.portHolders),
    machine: createMachineImplementation(host),
  };
}
