/**
 * queryOptions for volumes: the list and a volume's detail are cheap and kept fresh by engine events
 * (sync/engine-sync.ts, sync/network-volume-sync.ts). A volume's size and its file listings (a helper
 * container each) are costly: computed when the detail opens or a person asks, dropped when it closes
 * (gcTime 0), never refetched by events.
 */
import { queryOptions } from '@tanstack/react-query';
import type { BerthClient } from '../../../../app/contract/client';
import type { VolumeDetail, VolumeFilePreview, VolumeListing, VolumeUsage } from '../../../../app/contract/volume-contract';
import type { VolumeSummary } from '../../../../engine/core/engine-types';

export const volumeKeys = {
  list: ['volumes'] as const,
  details: ['volume-detail'] as const,
  detail: (name: string) => ['volume-detail', name] as const,
  usage: (name: string) => ['volume-usage', name] as const,
  files: (name: string, path: string) => ['volume-files', name, path] as const,
  file: (name: string, path: string) => ['volume-file', name, path] as const,
};

export function volumesQuery(api: BerthClient) {
  return queryOptions<VolumeSummary[]>({
    queryKey: volumeKeys.list,
    queryFn: () => api.volumes.list({}),
  });
}

export function volumeDetailQuery(api: BerthClient, name: string) {
  return queryOptions<VolumeDetail>({
    queryKey: volumeKeys.detail(name),
    queryFn: () => api.volumes.detail({ name }),
  });
}

export function volumeUsageQuery(api: BerthClient, name: string) {
  return queryOptions<VolumeUsage>({
    queryKey: volumeKeys.usage(name),
    queryFn: () => api.volumes.usage({ name }),
    gcTime: 0,
    retry: false,
  });
}

export function volumeFilesQuery(api: BerthClient, name: string, path: string) {
  return queryOptions<VolumeListing>({
    queryKey: volumeKeys.files(name, path),
    queryFn: () => api.volumes.browse({ name, path }),
    gcTime: 0,
    retry: false,
  });
}

export function volumeFileQuery(api: BerthClient, name: string, path: string) {
  return queryOptions<VolumeFilePreview>({
    queryKey: volumeKeys.file(name, path),
    queryFn: () => api.volumes.readFile({ name, path }),
    gcTime: 0,
    retry: false,
  });
}
