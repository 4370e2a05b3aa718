/**
 * queryOptions for images: the list (kept fresh by engine events, sync/engine-sync.ts) and the
 * dialogs' data (detail, logins).
 */
import { queryOptions } from '@tanstack/react-query';
import type { BerthClient } from '../../../../app/contract/client';
import type { ImageDetailInfo, RegistryLoginInfo } from '../../../../app/contract/image-contract';
import type { ImageSummary } from '../../../../engine/core/engine-types';

export const imageQueryKeys = {
  list: ['images'] as const,
  detail: (reference: string) => ['images', 'detail', reference] as const,
  logins: ['registry-logins'] as const,
};

export function imagesQuery(api: BerthClient) {
  return queryOptions<ImageSummary[]>({
    queryKey: imageQueryKeys.list,
    queryFn: () => api.images.list({}),
  });
}

export function imageDetailQuery(api: BerthClient, reference: string) {
  return queryOptions<ImageDetailInfo>({
    queryKey: imageQueryKeys.detail(reference),
    queryFn: () => api.images.inspect({ reference }),
  });
}

export function registryLoginsQuery(api: BerthClient) {
  return queryOptions<RegistryLoginInfo[]>({
    queryKey: imageQueryKeys.logins,
    queryFn: () => api.images.logins({}),
  });
}
