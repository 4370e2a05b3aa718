/**
 * queryOptions for the container detail. The list's summary (kept fresh by engine events) says when
 * the container changed; the detail refetches its inspect data then, instead of polling.
 */
import { queryOptions } from '@tanstack/react-query';
import type { BerthClient } from '../../../../app/contract/client';
import type { FileListing } from '../../../../app/contract/container-contract';

export const containerDetailKeys = {
  inspect: (id: string) => ['container-detail', id, 'inspect'] as const,
  files: (id: string, path: string) => ['container-detail', id, 'files', path] as const,
};

/** `changeMark` is the summary's state and status: a new mark is a new query, so the data follows the container. */
export function containerInspectQuery(api: BerthClient, id: string, changeMark: string) {
  return queryOptions<Record<string, unknown>>({
    queryKey: [...containerDetailKeys.inspect(id), changeMark],
    queryFn: () => api.containers.inspect({ id }),
    placeholderData: (previous) => previous,
    gcTime: 30_000,
  });
}

export function containerFilesQuery(api: BerthClient, id: string, path: string) {
  return queryOptions<FileListing>({
    queryKey: containerDetailKeys.files(id, path),
    queryFn: () => api.containers.files({ id, path }),
    gcTime: 30_000,
    retry: false,
  });
}
