/** The networks list's queryOptions, kept fresh by engine events (sync/network-volume-sync.ts). */
import { queryOptions } from '@tanstack/react-query';
import type { BerthClient } from '../../../../app/contract/client';
import type { NetworkSummary } from '../../../../app/contract/network-contract';

export const networkListKey = ['networks'] as const;

export function networksQuery(api: BerthClient) {
  return queryOptions<NetworkSummary[]>({
    queryKey: networkListKey,
    queryFn: () => api.networks.list({}),
  });
}
