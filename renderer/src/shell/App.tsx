import { lazy, Suspense, useEffect, useState } from 'react';
import { useEngineState } from '../views/machine/use-engine-state';
import { useTerminalStore } from '../terminals/terminal-store';
import { useNavigation, viewOf } from '../navigation';
import { PaletteHost } from '../palette';
import { useTerminalRestore } from '../terminals/use-terminal-restore';
import { ContainersView } from '../views/containers/ContainersView';
import { DiskUsageView } from '../views/disk/DiskUsageView';
import { ImagesView } from '../views/images/ImagesView';
import { LogsView } from '../views/logs/LogsView';
import { MachineView } from '../views/machine/MachineView';
import { NetworksView } from '../views/networks/NetworksView';
import { VolumesView } from '../views/volumes/VolumesView';
import { NavigationBar } from './NavigationBar';
import { Notices } from './Notices';
import { Sidebar } from './Sidebar';
import { StatusBar } from './StatusBar';
import { useNavigationKeys } from './use-navigation-keys';

// xterm.js is a third of the bundle and most sessions start with a list, not a shell.
const TerminalPanel = lazy(() => import('../terminals/TerminalPanel').then((module) => ({ default: module.TerminalPanel })));

export function App({ lost }: { lost: Promise<string> }) {
  const view = useNavigation((state) => viewOf(state.route));
  const terminalOpen = useTerminalStore((state) => state.terminalTabs.length > 0);
  useTerminalRestore();
  useNavigationKeys();
  const engineState = useEngineState();
  // Lists keep what was last known while the engine is away; say so rather than show them as current.
  const engineAway = engineState?.kind === 'unreachable' || (engineState?.kind === 'connecting' && !!engineState.lastFailure);
  const [lostReason, setLostReason] = useState<string | null>(null);
  useEffect(() => {
    let active = true;
    void lost.then((reason) => active && setLostReason(reason));
    return () => {
      active = false;
    };
  }, [lost]);

  return (
    <div className="app">
      <Sidebar />
      {/* Focus lands here when the palette closes over a place that is gone (its opener went with it). */}
      <main className="main" id="berth-main" tabIndex={-1}>
        <NavigationBar />
        {lostReason ? (
          <p role="alert" className="problem banner">
            Disconnected from Berth: {lostReason}
          </p>
        ) : null}
        {engineAway && !lostReason ? (
          <p className="notice" role="status">
            The engine is unreachable: the lists show what was last known and refresh when it is back.
          </p>
        ) : null}
        <Notices />
        {view === 'containers' && <ContainersView />}
        {view === 'logs' && <LogsView />}
        {view === 'images' && <ImagesView />}
        {view === 'volumes' && <VolumesView />}
        {view === 'networks' && <NetworksView />}
        {view === 'disk' && <DiskUsageView />}
        {view === 'engine' && <MachineView />}
        {terminalOpen ? (
          <Suspense fallback={<p className="muted">Loading the terminal…</p>}>
            <TerminalPanel />
          </Suspense>
        ) : null}
      </main>
      <StatusBar lostReason={lostReason} />
      <PaletteHost />
    </div>
  );
}
