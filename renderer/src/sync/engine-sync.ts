/**
 * Keeps react-query's engine data true to the engine, driven by its event stream: container events
 * fetch just the changed rows (batched), other events invalidate their list, and a reconnect
 * refreshes everything. Returns a disposer.
 */
import { hashKey, type QueryClient } from '@tanstack/react-query';
import type { BerthClient } from '../../../app/contract/client';
import type { EngineEventItem } from '../../../app/contract/contract';
import type { ConnectionState } from '../../../engine/core/connection-state';
import type { ContainerSummary } from '../../../engine/core/engine-types';
import { changesContainerList, isStaleAfter, mergeContainers } from '../views/containers/container-cache';
import { refreshNetworksAndVolumes, syncNetworksAndVolumes } from './network-volume-sync';
import { containerListKey } from '../views/containers/container-queries';
import { imageQueryKeys } from '../views/images/image-queries';
import { engineStateKey } from '../views/machine/use-engine-state';
import { volumeKeys } from '../views/volumes/volume-queries';

/** Query roots that are not engine data: the connection state and the machine status are pushed, not fetched. */
const NOT_ENGINE_DATA = new Set<unknown>(['engine', 'machine']);

/** Resets every engine query (lists, details, logs, disk usage): the ones on screen fetch again from the new engine. */
export function forgetEngineData(queryClient: QueryClient): void {
  void queryClient.resetQueries({ predicate: (query) => !NOT_ENGINE_DATA.has(query.queryKey[0]) });
}

export function startEngineSync(api: BerthClient, queryClient: QueryClient): () => void {
  let changed = new Set<string>();
  let destroyed = new Set<string>();
  let flushing = false;
  // The last event per container, to read it again when the engine's listing lagged behind the event.
  const lastAction = new Map<string, { action: string; retries: number }>();
  // 100 ms to 3.2 s, 6.3 s in all: under load the engine's listing can trail its event by more than a second.
  const RETRIES = 6;
  // Containers that changed while a full read of the list was in flight. That read may have seen the
  // engine before the change and lands after the change's own read, putting the old row back; so they
  // are read again once it has landed.
  const changedDuringFullRead = new Set<string>();
  const fullReadInFlight = () => queryClient.isFetching({ queryKey: containerListKey, exact: true }) > 0;
  const stopWatchingFullReads = queryClient.getQueryCache().subscribe((cacheEvent) => {
    if (cacheEvent.type !== 'updated' || changedDuringFullRead.size === 0) return;
    // Landed: the read is over (an event's own merge into the list is also a 'success', mid-read).
    if (cacheEvent.action.type !== 'success' && cacheEvent.action.type !== 'error') return;
    if (cacheEvent.query.state.fetchStatus !== 'idle') return;
    if (cacheEvent.query.queryHash !== hashKey(containerListKey)) return;
    for (const id of changedDuringFullRead) changed.add(id);
    changedDuringFullRead.clear();
    setTimeout(() => void flush(), 0);
  });

  const refreshAll = () => {
    void queryClient.invalidateQueries({ queryKey: containerListKey });
    void queryClient.invalidateQueries({ queryKey: imageQueryKeys.list });
    void queryClient.invalidateQueries({ queryKey: volumeKeys.list });
    refreshNetworksAndVolumes(queryClient);
  };

  const flush = async () => {
    if (flushing) return;
    flushing = true;
    try {
      while (changed.size > 0 || destroyed.size > 0) {
        const ids = [...changed].filter((id) => !destroyed.has(id)).slice(0, 500);
        const gone = destroyed;
        changed = new Set([...changed].filter((id) => !ids.includes(id) && !gone.has(id)));
        destroyed = new Set();
        let fresh: ContainerSummary[] = [];
        try {
          if (ids.length > 0) fresh = await api.containers.listByIds({ ids });
        } catch {
          refreshAll();
          continue;
        }
        const found = new Set(fresh.map((container) => container.id));
        for (const id of ids) if (!found.has(id)) gone.add(id);
        for (const container of fresh) {
          const last = lastAction.get(container.id);
          if (!last || !isStaleAfter(last.action, container) || last.retries >= RETRIES) {
            lastAction.delete(container.id);
            continue;
          }
          last.retries += 1;
          setTimeout(
            () => {
              changed.add(container.id);
              void flush();
            },
            50 * 2 ** last.retries,
          );
        }
        queryClient.setQueryData<ContainerSummary[]>(containerListKey, (current) =>
          current ? mergeContainers(current, fresh, gone) : current,
        );
      }
    } finally {
      flushing = false;
    }
  };

  const onEvent = (item: EngineEventItem) => {
    syncNetworksAndVolumes(queryClient, item);
    if (item.kind === 'overflow') return refreshAll();
    const { event } = item;
    switch (event.type) {
      case 'container':
        if (!changesContainerList(event.action)) return;
        (event.action === 'destroy' ? destroyed : changed).add(event.id);
        if (fullReadInFlight()) changedDuringFullRead.add(event.id);
        if (event.action === 'destroy') lastAction.delete(event.id);
        else lastAction.set(event.id, { action: event.action, retries: 0 });
        // Events come in bursts (create, start); one task later they go out as one request.
        setTimeout(() => void flush(), 0);
        if (event.action === 'destroy' || event.action === 'create') {
          void queryClient.invalidateQueries({ queryKey: imageQueryKeys.list });
        }
        return;
      case 'image':
        return void queryClient.invalidateQueries({ queryKey: imageQueryKeys.list });
      case 'volume':
        return void queryClient.invalidateQueries({ queryKey: volumeKeys.list });
      case 'network':
        return;
    }
  };

  let wasConnected = false;
  let lastEngine: string | null = null;
  const stateSubscription = api.engine.state(
    {},
    {
      next: (state: ConnectionState) => {
        queryClient.setQueryData(engineStateKey, state);
        const connected = state.kind === 'connected';
        // Another engine (the user switched): nothing cached from the last one is true here.
        if (connected && lastEngine !== null && state.endpoint !== lastEngine) forgetEngineData(queryClient);
        // Back from an outage: whatever happened meanwhile is not in the event stream.
        else if (connected && !wasConnected) refreshAll();
        if (connected) lastEngine = state.endpoint;
        wasConnected = connected;
      },
    },
  );
  const eventSubscription = api.engine.events({}, { next: onEvent });

  return () => {
    stopWatchingFullReads();
    stateSubscription.dispose();
    eventSubscription.dispose();
  };
}
