/**
 * The container an address names: by its name (what Berth writes), else by its id or a unique
 * prefix of it (what someone may type or paste from `docker ps`), as the docker CLI resolves them.
 */
import type { ContainerSummary } from '../../../../engine/core/engine-types';

export function findContainerByRef(containers: readonly ContainerSummary[], ref: string): ContainerSummary | undefined {
  const byName = containers.find((container) => container.name === ref);
  if (byName) return byName;
  const id = ref.toLowerCase();
  if (!/^[0-9a-f]+$/.test(id)) return undefined;
  const byId = containers.filter((container) => container.id.startsWith(id));
  return byId.length === 1 ? byId[0] : undefined;
}
