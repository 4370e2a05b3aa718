/** Pure updates of the cached container list, applied when engine events arrive. */
import type { ContainerSummary } from '../../../../engine/core/engine-types';

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

/**
 * True when a summary read right after an event does not show that event yet. The engine announces
 * some changes (pause, unpause, die) before its listing has them, so a read at once can be stale; the
 * sync reads such a container again shortly after.
 */
export function isStaleAfter(action: string, summary: ContainerSummary): boolean {
  switch (action) {
    case 'pause':
      return summary.state !== 'paused';
    case 'unpause':
      return summary.state === 'paused';
    case 'die':
    case 'stop':
      return summary.state === 'running' || summary.state === 'paused';
    case 'start':
      return summary.state === 'created';
    default:
      return false;
  }
}
