/** The engines part of the contract over the EngineRegistry: the list with statuses as a stream, add, remove, switch. */
import { subscribeToQueue } from '../../base/index.js';
import type { EngineList } from '../contract/engines-contract.js';
import { createMemoryEngineListStore, EngineRegistry } from '../engines/index.js';
import type { EngineServices } from './engine-services.js';
import type { BerthImplementation } from './implementation.js';

export function createEnginesImplementation(registry: EngineRegistry): BerthImplementation['engines'] {
  return {
    list: (_args, _peer, signal) => {
      // Someone is looking: ask the engines not in use how they are (not more often than every few seconds).
      registry.refreshStatuses();
      // keep-latest: a slow page gets the newest list, never a backlog of old ones.
      const options = { capacity: 1, overflow: 'keep-latest', signal, initial: registry.list() } as const;
      return subscribeToQueue<EngineList>(options, (queue) => registry.onChange(() => queue.push(registry.list())));
    },
    add: async (input) => registry.add(input),
    remove: async ({ id }) => (registry.remove(id), null),
    use: async ({ id }) => (registry.use(id), null),
    check: async ({ id }) => (await registry.check(id), null),
  };
}

/** A list of one, the engine the services were built on: for tests and for an app that offers no switching. */
export function singleEngineRegistry(services: EngineServices, description: string): EngineRegistry {
  return new EngineRegistry({
    connection: services.connection,
    store: createMemoryEngineListStore(),
    builtIns: [{ id: 'local', name: description, endpoint: services.connection.endpoint }],
  });
}
