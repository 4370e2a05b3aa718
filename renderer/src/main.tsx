import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/api-context';
import { connectToBerth } from './api/berth-connection';
import { App } from './shell/App';
import { startNavigation, windowHistory } from './navigation';
import { useNoticeStore } from './components/notice-store';
import { startEngineSync } from './sync/engine-sync';
import { startDesktopNotifications } from './notifications';
import { startMachineSync } from './views/machine/machine-status';
import { containersQuery } from './views/containers/container-queries';
import './styles.css';

const connection = connectToBerth();
const queryClient = new QueryClient({
  defaultOptions: {
    // Engine events keep the data fresh; refetching on focus or mount would only add load.
    queries: { staleTime: Infinity, refetchOnWindowFocus: false, retry: 1 },
  },
});
const stopEngineSync = startEngineSync(connection.client, queryClient);
const stopMachineSync = startMachineSync(connection.client, queryClient);
const stopNotifications = startDesktopNotifications(connection.client);
// The place comes from the address before the first render, so a reload shows where the person was.
const stopNavigation = startNavigation(windowHistory(), (problem) => useNoticeStore.getState().notify('info', problem));
// Ask for the first view's data now, not after React has mounted: it is what the person waits for.
void queryClient.prefetchQuery(containersQuery(connection.client));
window.addEventListener('pagehide', () => {
  stopEngineSync();
  stopMachineSync();
  stopNotifications();
  stopNavigation();
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiProvider client={connection.client}>
      <QueryClientProvider client={queryClient}>
        <App lost={connection.lost} />
      </QueryClientProvider>
    </ApiProvider>
  </StrictMode>,
);
