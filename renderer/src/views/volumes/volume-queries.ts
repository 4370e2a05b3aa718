/**
 * queryOptions for networks, a volume's detail, and disk usage. Networks and a volume's users are
 * cheap and kept fresh by engine events (network-volume-sync.ts). Sizes (the engine's disk usage) and
 * file listings (a helper container each) are costly: computed when a view opens or a person asks,
 * dropped when the view closes (gcTime 0), never refetched by events.
 */
import { queryOptions } from '@tanstack/react-query';
import type { BerthClient } from '../../../../app/contract/client';
import type { NetworkSummary } from '../../../../app/contract/network-contract';
import type { DiskUsage } from '../../../../app/contract/system-contract';
import type { VolumeDetail, VolumeFilePreview, VolumeListing, VolumeUsage } from '../../../../app/contract/volume-contract';

export const networkVolumeKeys = {
  networks: ['networks'] as const,
  volumeDetails: ['volume-detail'] as const,
  volumeDetail: (name: string) => ['volume-detail', name] as const,
  volumeUsage: (name: string) => ['volume-usage', name] as const,
  volumeFiles: (name: string, path: string) => ['volume-files', name, path] as const,
  volumeFile: (name: string, path: string) => ['volume-file', name, path] as const,
  diskUsage: ['disk-usage'] as const,
};

export function networksQuery(api: BerthClient) {
  return queryOptions<NetworkSummary[]>({
    queryKey: networkVolumeKeys.networks,
    queryFn: () => api.networks.list({}),
  });
}

export function volumeDetailQuery(api: BerthClient, name: string) {
  return queryOptions<VolumeDetail>({
    queryKey: networkVolumeKeys.volumeDetail(name),
    queryFn: () => api.volumes.detail({ name }),
  });
}

export function volumeUsageQuery(api: BerthClient, name: string) {
  return queryOptions<VolumeUsage>({
    queryKey: networkVolumeKeys.volumeUsage(name),
    queryFn: () => api.volumes.usage({ name }),
    gcTime: 0,
    retry: false,
  });
}

export function volumeFilesQuery(api: BerthClient, name: string, path: string) {
  return queryOptions<VolumeListing>({
    queryKey: networkVolumeKeys.volumeFiles(name, path),
    queryFn: () => api.volumes.browse({ name, path }),
    gcTime: 0,
    retry: false,
  });
}

export function volumeFileQuery(api: BerthClient, name: string, path: string) {
  return queryOptions<VolumeFilePreview>({
    queryKey: networkVolumeKeys.volumeFile(name, path),
    queryFn: () => api.volumes.readFile({ name, path }),
    gcTime: 0,
    retry: false,
  });
}

export function diskUsageQuery(api: BerthClient) {
  return queryOptions<DiskUsage>({
    queryKey: networkVolumeKeys.diskUsage,
    queryFn: () => api.system.diskUsage({}),
    gcTime: 0,
    retry: false,
  });
}
