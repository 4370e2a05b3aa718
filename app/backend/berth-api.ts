/**
 * The contract's implementation: maps each method and stream onto the engine services. Arguments
 * arrive already validated by ApiSession; this file only decides what each call means.
 */
import type { z } from 'zod';
import { createAsyncQueue } from '../../engine/async-queue.js';
import type { ConnectionState } from '../../engine/connection-state.js';
import type { Disposable } from '../../engine/disposable.js';
import { describeEndpoint } from '../../engine/endpoint.js';
import type { BerthContract, EngineEventItem, MethodDefinition, StreamDefinition } from '../contract/contract.js';
import type { PeerContext } from './api-session.js';
import { createContainerImplementation } from './container-api.js';
import { createImageImplementation } from './image-api.js';
import { createMachineImplementation, type EngineHost } from './machine-api.js';
import { createNetworkImplementation } from './network-api.js';
import { createSystemImplementation } from './system-api.js';
import { createTerminalImplementation } from './terminal-api.js';
import { createVolumeDetailImplementation } from './volume-detail-api.js';
import type { EngineServices } from './engine-services.js';

type Implement<D> =
  D extends MethodDefinition<infer A, infer R>
    ? (args: z.output<A>, peer: PeerContext) => Promise<z.input<R>>
    : D extends StreamDefinition<infer A, infer I>
      ? (args: z.output<A>, peer: PeerContext, signal: AbortSignal) => AsyncIterable<z.input<I>>
      : never;

export type BerthImplementation = {
  [N in keyof BerthContract]: { [M in keyof BerthContract[N]]: Implement<BerthContract[N][M]> };
};

/** Events buffered per subscriber before the oldest are dropped (and the renderer refreshes). */
const EVENT_BUFFER = 2_000;

function fromEmitter<T, V>(
  subscribe: (listener: (value: V) => void) => Disposable,
  map: (value: V) => T,
  signal: AbortSignal,
  capacity: number,
  overflow: 'drop-oldest' | 'keep-latest',
  initial?: T,
) {
  const queue = createAsyncQueue<T>(capacity, overflow, signal);
  if (initial !== undefined) queue.push(initial);
  const subscription = subscribe((value) => queue.push(map(value)));
  signal.addEventListener('abort', () => subscription.dispose());
  return queue;
}

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
    },
    engine: {
      state: (_args, _peer, signal) =>
        fromEmitter<ConnectionState, ConnectionState>(
          connection.onStateChange,
          (state) => state,
          signal,
          1,
          'keep-latest',
          connection.state,
        ),
      events: (_args, _peer, signal) => {
        const queue = createAsyncQueue<EngineEventItem>(EVENT_BUFFER, 'drop-oldest', signal);
        const subscription = connection.onEvent((event) => queue.push({ kind: 'event', event }));
        signal.addEventListener('abort', () => subscription.dispose());
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
    system: createSystemImplementation(services.diskUsage),
    machine: createMachineImplementation(host),
  };
}
