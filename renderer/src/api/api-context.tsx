import { createContext, useContext, type ReactNode } from 'react';
import type { BerthClient } from '../../../app/contract/client';

const ApiContext = createContext<BerthClient | null>(null);

export function ApiProvider({ client, children }: { client: BerthClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): BerthClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi outside ApiProvider');
  return client;
}
