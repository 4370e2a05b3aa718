/** The images part of the contract's implementation, over the ImageService and its registry logins. */
import type { ImageService } from '../../engine/images/index.js';
import type { BerthImplementation } from './implementation.js';

export function createImageImplementation(images: ImageService): BerthImplementation['images'] {
  return {
    list: () => images.list(),
    remove: async ({ reference }) => (await images.remove(reference), null),
    pull: ({ reference, platform }, _peer, signal) => images.pull(reference, signal, platform),
    push: ({ reference }, _peer, signal) => images.push(reference, signal),
    tag: async ({ source, target }) => (await images.tag(source, target), null),
    inspect: ({ reference }) => images.detail(reference),
    prune: () => images.prune(),
    login: ({ registry, username, password }) => images.registries.login(registry, username, password),
    logout: async ({ registry }) => (await images.registries.logout(registry), null),
    logins: () => images.registries.list(),
    build: (request, _peer, signal) => images.build(request, signal),
    run: (request, _peer, signal) => images.run(request, signal),
  };
}
