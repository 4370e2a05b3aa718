/** The networks part of the contract's implementation, over the NetworkService. */
import type { NetworkService } from '../../engine/networks/index.js';
import type { BerthImplementation } from './implementation.js';

export function createNetworkImplementation(networks: NetworkService): BerthImplementation['networks'] {
  return {
    list: () => networks.list(),
    create: ({ name, subnet }) => networks.create(subnet === undefined ? { name } : { name, subnet }),
    remove: async ({ id }) => (await networks.remove(id), null),
    connect: async ({ network, container }) => (await networks.connect(network, container), null),
    disconnect: async ({ network, container }) => (await networks.disconnect(network, container), null),
  };
}
