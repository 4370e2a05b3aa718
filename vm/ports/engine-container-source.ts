/**
 * The engine as the port forwarder's ContainerSource, over one EngineConnection to the VM: the
 * container list for a full resync, one inspect per started container, and the event stream.
 */
import { toPublishedPorts } from '../../engine/containers/index.js';
import { DisposableStore } from '../../base/index.js';
import type { EngineConnection } from '../../engine/core/index.js';
import type { ContainerChange, ContainerSource } from './port-forwarder.js';
import { publishedPortsFromBindings } from './port-plan.js';

/** Bounds one engine call, so a stalled request cannot hold up every later reconcile. */
const ENGINE_CALL_TIMEOUT_MS = 30_000;

/**
 * Events that change a container's ports. A start is looked up (inspect is current; the list may lag).
 * A die means its ports are gone: the engine sends it before its container list says so (observed
 * with 20.10: a list made on `die` still shows the container running), so the event itself is taken
 * as the truth. `kill` and `stop` bracket a die and add nothing; a paused container keeps its ports.
 */
const STARTED: ReadonlySet<string> = new Set(['start']);
const STOPPED: ReadonlySet<string> = new Set(['die', 'destroy']);

const withoutSlash = (name: string) => name.replace(/^\//, '');

export function engineContainerSource(connection: EngineConnection): ContainerSource {
  return {
    async listRunning() {
      // Running (and paused) only, and never with sizes.
      const containers = await connection.docker.listContainers({
        all: false,
        abortSignal: AbortSignal.timeout(ENGINE_CALL_TIMEOUT_MS),
      });
      return containers.map((info) => ({
        id: info.Id,
        name: withoutSlash(info.Names[0] ?? ''),
        state: info.State,
        ports: toPublishedPorts(info.Ports ?? []),
      }));
    },
    async inspect(id) {
      try {
        const info = await connection.docker
          .getContainer(id)
          .inspect({ abortSignal: AbortSignal.timeout(ENGINE_CALL_TIMEOUT_MS) });
        return {
          id: info.Id,
          name: withoutSlash(info.Name),
          state: info.State.Status,
          ports: publishedPortsFromBindings(info.NetworkSettings.Ports),
        };
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return null; // removed meanwhile
        throw error;
      }
    },
    onChange(listener: (change: ContainerChange) => void) {
      const store = new DisposableStore();
      store.add(
        connection.onEvent((event) => {
          if (event.type !== 'container') return;
          if (STARTED.has(event.action)) listener({ kind: 'started', id: event.id });
          else if (STOPPED.has(event.action)) listener({ kind: 'stopped', id: event.id });
        }),
      );
      // Connected (first time, or again after a lost stream): events may have been missed, so list.
      store.add(connection.onStateChange((state) => state.kind === 'connected' && listener({ kind: 'resync' })));
      if (connection.state.kind === 'connected') listener({ kind: 'resync' });
      return store;
    },
  };
}
