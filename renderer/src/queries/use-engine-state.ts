import { useQuery } from '@tanstack/react-query';
import type { ConnectionState } from '../../../engine/core/connection-state';
import { engineStateKey } from './engine-sync';

/** The engine connection's state, as engine-sync writes it into the cache (it is never fetched). */
export function useEngineState(): ConnectionState | undefined {
  const { data } = useQuery<ConnectionState>({
    queryKey: engineStateKey,
    queryFn: () => new Promise<never>(() => undefined),
    staleTime: Infinity,
  });
  return data;
}
