import { useQuery } from '@tanstack/react-query';
import type { ConnectionState } from '../../../../engine/core/connection-state';

/** Where sync/engine-sync.ts writes the connection state it is pushed. */
export const engineStateKey = ['engine', 'state'] as const;

/** The engine connection's state, as engine-sync writes it into the cache (it is never fetched). */
export function useEngineState(): ConnectionState | undefined {
  const { data } = useQuery<ConnectionState>({
    queryKey: engineStateKey,
    queryFn: () => new Promise<never>(() => undefined),
    staleTime: Infinity,
  });
  return data;
}
