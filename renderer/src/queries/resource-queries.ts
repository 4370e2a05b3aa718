/**
 * One queryOptions factory per engine resource. Engine events keep them fresh (engine-sync.ts), so
 * nothing here refetches on a timer.
 */
import { queryOptions } from '@tanstack/react-query';
import type { BerthClient } from '../../../app/contract/client';
import type { ContainerSummary, ImageSummary, VolumeSummary } from '../../../engine/core/engine-types';

export const queryKeys = {
  containers: ['containers'] as const,
  images: ['images'] as const,
  volumes: ['volumes'] as const,
};

export function containersQuery(api: BerthClient) {
  return queryOptions<ContainerSummary[]>({
    queryKey: queryKeys.containers,
    queryFn: () => api.containers.list({}),
  });
}

export function imagesQuery(api: BerthClient) {
  return queryOptions<ImageSummary[]>({
    queryKey: queryKeys.images,
    queryFn: () => api.images.list({}),
  });
}

export function volumesQuery(api: BerthClient) {
  return queryOptions<VolumeSummary[]>({
    queryKey: queryKeys.volumes,
    queryFn: () => api.volumes.list({}),
  });
}
