/** The containers view's filter: a case-insensitive match on name, image, state, status or short id. */
import type { ContainerSummary } from '../../../../engine/core/engine-types';

export function matchesFilter(container: ContainerSummary, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  return [container.name, container.image, container.state, container.status, container.id.slice(0, 12)].some((field) =>
    field.toLowerCase().includes(needle),
  );
}
