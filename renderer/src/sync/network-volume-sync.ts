/**
 * Which engine events refresh the networks list and open volume details. Called from engine-sync for
 * every event item; pure mapping in `keysToRefresh`, so it is tested without a QueryClient.
 */
import type { QueryClient } from '@tanstack/react-query';
import type { EngineEventItem } from '../../../app/contract/contract';
import { networkListKey } from '../views/networks/network-queries';
import { volumeKeys } from '../views/volumes/volume-queries';

type Key = readonly unknown[];

/** Container actions that change which containers a network or a volume lists (or their names). */
const CONTAINER_MEMBERSHIP = new Set(['create', 'destroy', 'rename', 'start', 'die']);
/** mount and unmount come with container start and stop; create and destroy change whether it exists. */
const VOLUME_DETAIL = new Set(['create', 'destroy', 'mount', 'unmount']);

export function keysToRefresh(item: EngineEventItem): Key[] {
  if (item.kind === 'overflow') return [networkListKey, volumeKeys.details];
  const { type, action, id } = item.event;
  switch (type) {
    case 'network':
      return [networkListKey];
    case 'container':
      if (!CONTAINER_MEMBERSHIP.has(action)) return [];
      // start and die already come with network connect and disconnect events.
      return action === 'start' || action === 'die' ? [volumeKeys.details] : [networkListKey, volumeKeys.details];
    case 'volume':
      return VOLUME_DETAIL.has(action) ? [volumeKeys.detail(id)] : [];
    case 'image':
      return [];
  }
}

export function syncNetworksAndVolumes(queryClient: QueryClient, item: EngineEventItem): void {
  for (const queryKey of keysToRefresh(item)) void queryClient.invalidateQueries({ queryKey });
}

/** After a reconnect: whatever happened meanwhile is not in the event stream. */
export function refreshNetworksAndVolumes(queryClient: QueryClient): void {
  void queryClient.invalidateQueries({ queryKey: networkListKey });
  void queryClient.invalidateQueries({ queryKey: volumeKeys.details });
}
