import { lazy, Suspense, useEffect, useState } from 'react';
import { useUiStore } from '../state/ui-store';
import { ContainersView } from '../views/ContainersView';
import { ImagesView } from '../views/ImagesView';
import { VolumesView } from '../views/VolumesView';
import { Notices } from './Notices';
import { Sidebar } from './Sidebar';
import { StatusBar } from './StatusBar';

// xterm.js is a third of the bundle and most sessions start with a list, not a shell.
const TerminalPanel = lazy(() => import('./TerminalPanel').then((module) => ({ default: module.TerminalPanel })));

export function App({ lost }: { lost: Promise<string> }) {
  const view = useUiStore((state) => state.view);
  const terminalOpen = useUiStore((state) => state.terminal !== null);
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
      <main className="main">
        {lostReason ? (
          <p role="alert" className="problem banner">
            Disconnected from Berth: {lostReason}
          </p>
        ) : null}
        <Notices />
        {view === 'containers' && <ContainersView />}
        {view === 'images' && <ImagesView />}
        {view === 'volumes' && <VolumesView />}
        {terminalOpen ? (
          <Suspense fallback={<p className="muted">Loading the terminal…</p>}>
            <TerminalPanel />
          </Suspense>
        ) : null}
      </main>
      <StatusBar lostReason={lostReason} />
    </div>
  );
}
