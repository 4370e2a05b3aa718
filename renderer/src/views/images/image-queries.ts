/** queryOptions for the image dialogs' data (detail, logins). The list's factory is in resource-queries.ts. */
import { queryOptions } from '@tanstack/react-query';
import type { BerthClient } from '../../../../app/contract/client';
import type { ImageDetailInfo, RegistryLoginInfo } from '../../../../app/contract/image-contract';

export const imageQueryKeys = {
  detail: (reference: string) => ['images', 'detail', reference] as const,
  logins: ['registry-logins'] as const,
};

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
