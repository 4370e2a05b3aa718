/**
 * The engine list with each engine's status, pushed by the app's engines.list stream while the view
 * that shows it is open (opening it is what asks the engines not in use how they are).
 */
import { useEffect, useState } from 'react';
import type { EngineList } from '../../../../app/contract/engines-contract';
import { useApi } from '../../api/api-context';

export function useEngineList(): EngineList | undefined {
  const api = useApi();
  const [list, setList] = useState<EngineList | undefined>(undefined);
  useEffect(() => {
    const subscription = api.engines.list({}, { next: setList });
    return () => subscription.dispose();
  }, [api]);
  return list;
}
