/** Pure updates of the cached container list, applied when engine events arrive. */
import type { ContainerSummary } from '../../../engine/types';

/** Container actions that change what the list shows. exec_*, attach, resize, top do not. */
const LIST_CHANGING_ACTIONS = new Set([
  'create',
  'start',
  'restart',
  'stop',
  'die',
  'kill',
  'pause',
  'unpause',
  'rename',
  'update',
  'oom',
  'destroy',
]);

export function changesContainerList(action: string): boolean {
  return LIST_CHANGING_ACTIONS.has(action) || action.startsWith('health_status');
}

/**
 * Replaces or adds the fresh summaries, removes the ids that no longer exist, keeps the rest. The
 * list stays sorted newest first, as `docker ps` shows it.
 */
export function mergeContainers(
  current: readonly ContainerSummary[],
  fresh: readonly ContainerSummary[],
  gone: ReadonlySet<string>,
): ContainerSummary[] {
  const byId = new Map(current.map((container) => [container.id, container]));
  for (const id of gone) byId.delete(id);
  for (const container of fresh) byId.set(container.id, container);
  return [...byId.values()].sort((a, b) => b.created - a.created || a.name.localeCompare(b.name));
}
