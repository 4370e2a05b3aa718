/**
 * The container list's queryOptions. Engine events keep it fresh (sync/engine-sync.ts), so nothing
 * here refetches on a timer. The detail's factories are in container-detail-queries.ts.
 */
import { queryOptions } from '@tanstack/react-query';
import type { BerthClient } from '../../../../app/contract/client';
import type { ContainerSummary } from '../../../../engine/core/engine-types';

export const containerListKey = ['containers'] as const;

export function containersQuery(api: BerthClient) {
  return queryOptions<ContainerSummary[]>({
    queryKey: containerListKey,
    queryFn: () => api.containers.list({}),
  });
}
