/**
 * Where the engine runs and the VM's state, pushed by the app's machine.status stream into the
 * query cache (never fetched, never polled). Returns a disposer.
 */
import { useQuery, type QueryClient } from '@tanstack/react-query';
import type { BerthClient } from '../../../../app/contract/client';
import type { MachineStatus } from '../../../../app/contract/machine-contract';

export const machineStatusKey = ['machine', 'status'] as const;
export const machineSettingsKey = ['machine', 'settings'] as const;

export function startMachineSync(api: BerthClient, queryClient: QueryClient): () => void {
  const subscription = api.machine.status(
    {},
    {
      next: (status) => {
        queryClient.setQueryData(machineStatusKey, status);
      },
    },
  );
  return () => subscription.dispose();
}

export function useMachineStatus(): MachineStatus | undefined {
  const { data } = useQuery<MachineStatus>({
    queryKey: machineStatusKey,
    queryFn: () => new Promise<never>(() => undefined),
    staleTime: Infinity,
  });
  return data;
}
