/**
 * The engine's disk usage. Costly (the engine sizes every layer and volume): computed when the view
 * opens or a person asks, dropped when the view closes (gcTime 0), never refetched by events.
 */
import { queryOptions } from '@tanstack/react-query';
import type { BerthClient } from '../../../../app/contract/client';
import type { DiskUsage } from '../../../../app/contract/system-contract';

export function diskUsageQuery(api: BerthClient) {
  return queryOptions<DiskUsage>({
    queryKey: ['disk-usage'],
    queryFn: () => api.system.diskUsage({}),
    gcTime: 0,
    retry: false,
  });
}
