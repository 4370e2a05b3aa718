import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type KeyboardEvent } from 'react';
import type { ContainerSummary } from '../../../../engine/core/engine-types';
import { useApi } from '../../api/api-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useEngineAction } from '../../components/use-engine-action';
import { shortId } from '../../format';
import { containersQuery } from './container-queries';
import { useTerminalStore } from '../../terminals/terminal-store';
import { CommitDialog, KillDialog, RenameDialog, type ContainerDialogKind } from './ContainerDialogs';
import { HOME, sameRoute, useNavigation, type DetailTab, type Route } from '../../navigation';
import { useNoticeStore } from '../../components/notice-store';
import { findContainerByRef } from './container-ref';
import { FilesTab } from './FilesTab';
import { InspectTab } from './InspectTab';
import { LogsTab } from './LogsTab';
import { StatsTab } from './StatsTab';
import './containers.css';

const TABS: Array<{ tab: DetailTab; label: string }> = [
  { tab: 'logs', label: 'Logs' },
  { tab: 'inspect', label: 'Inspect' },
  { tab: 'stats', label: 'Stats' },
  { tab: 'files', label: 'Files' },
];

function ActionsBar({ container }: { container: ContainerSummary }) {
  const api = useApi();
  const openTerminal = useTerminalStore((state) => state.openTerminal);
  const navigate = useNavigation((state) => state.navigate);
  const [dialog, setDialog] = useState<ContainerDialogKind | 'remove' | null>(null);
  const lifecycle = useEngineAction((action: 'start' | 'stop' | 'restart' | 'pause' | 'unpause') =>
    api.containers[action]({ id: container.id }),
  );
  const remove = useEngineAction((force: boolean) => api.containers.remove({ id: container.id, force }));
  const { state, name } = container;
  const busy = lifecycle.isPending || remove.isPending;
  const button = (action: 'start' | 'stop' | 'restart' | 'pause' | 'unpause', label: string) => (
    <button type="button" disabled={busy} onClick={() => lifecycle.mutate(action)}>
      {label}
    </button>
  );
  return (
    <div className="ctr-detail-actions" role="toolbar" aria-label={`Actions for ${name}`}>
      {state === 'running' || state === 'paused' || state === 'restarting' ? button('stop', 'Stop') : button('start', 'Start')}
      {button('restart', 'Restart')}
      {state === 'paused' ? button('unpause', 'Unpause') : null}
      {state === 'running' ? button('pause', 'Pause') : null}
      <button type="button" disabled={state !== 'running'} onClick={() => setDialog('kill')}>
        Kill…
      </button>
      <button type="button" onClick={() => setDialog('rename')}>
        Rename…
      </button>
      <button type="button" onClick={() => setDialog('commit')}>
        Commit…
      </button>
      <button
        type="button"
        disabled={state !== 'running'}
        onClick={() => openTerminal({ containerId: container.id, containerName: name })}
      >
        Terminal
      </button>
      <button type="button" className="danger" disabled={busy} onClick={() => setDialog('remove')}>
        Remove…
      </button>
      {dialog === 'kill' ? <KillDialog container={container} onClose={() => setDialog(null)} /> : null}
      {dialog === 'rename' ? <RenameDialog container={container} onClose={() => setDialog(null)} /> : null}
      {dialog === 'commit' ? <CommitDialog container={container} onClose={() => setDialog(null)} /> : null}
      {dialog === 'remove' ? (
        <ConfirmDialog
          title={`Remove container ${name}?`}
          confirmLabel="Remove"
          onCancel={() => setDialog(null)}
          onConfirm={() => {
            setDialog(null);
            // To the list first (in place of this detail, so Back does not lead to a removed container).
            navigate(HOME, { replace: true });
            remove.mutate(state === 'running' || state === 'paused');
          }}
        >
          <p>
            Its writable layer is deleted. Named volumes are kept.
            {state === 'running' || state === 'paused' ? ' It is running: it is stopped first.' : ''}
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

/**
 * One container: its actions, and tabs for its logs, inspect data, live stats and files. The address
 * names it (`containerRef`: its name, or an id someone typed) and the tab. A container renamed while
 * shown is followed by its id and the address rewritten; one that is gone leads to the list, with a
 * note saying why.
 */
export function ContainerDetail({ containerRef, tab }: { containerRef: string; tab: DetailTab }) {
  const api = useApi();
  const list = useQuery(containersQuery(api));
  const navigate = useNavigation((state) => state.navigate);
  const notify = useNoticeStore((state) => state.notify);
  const byRef = list.data ? findContainerByRef(list.data, containerRef) : undefined;
  // The container this address showed last: found again by id when its name changes.
  const [shown, setShown] = useState<{ ref: string; id: string } | null>(null);
  if (byRef && (shown?.ref !== containerRef || shown.id !== byRef.id)) setShown({ ref: containerRef, id: byRef.id });
  const container =
    byRef ?? (shown?.ref === containerRef ? list.data?.find((candidate) => candidate.id === shown.id) : undefined);
  const missing = list.isSuccess && !container;
  const currentName = container?.name;

  useEffect(() => {
    const here: Route = { kind: 'container', ref: containerRef, tab };
    // Only while this is still the place (StrictMode runs effects twice; the first may have moved on).
    if (!sameRoute(useNavigation.getState().route, here)) return;
    if (missing) {
      navigate(HOME, { replace: true });
      notify('info', `No container "${containerRef}" exists (it may have been removed): showing the list.`);
    } else if (currentName !== undefined && currentName !== containerRef) {
      navigate({ kind: 'container', ref: currentName, tab }, { replace: true });
    }
  }, [missing, currentName, containerRef, tab, navigate, notify]);
  const showTab = (next: DetailTab) => navigate({ kind: 'container', ref: currentName ?? containerRef, tab: next });

  const onTabKey = (event: KeyboardEvent) => {
    // Alt-← and the like are Back and Forward, not the next tab.
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const index = TABS.findIndex((entry) => entry.tab === tab);
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % TABS.length
        : event.key === 'ArrowLeft'
          ? (index - 1 + TABS.length) % TABS.length
          : -1;
    if (next < 0) return;
    event.preventDefault();
    showTab(TABS[next]!.tab);
    document.getElementById(`container-tab-${TABS[next]!.tab}`)?.focus();
  };

  return (
    <section className="view container-detail" aria-labelledby="container-detail-title">
      <header className="view-header">
        <button type="button" onClick={() => navigate(HOME)}>
          ← All containers
        </button>
        <h1 id="container-detail-title">{container?.name ?? 'Container'}</h1>
        {container ? (
          <>
            <span className="badge" data-state={container.state} role="status" aria-label="Container state">
              {container.state}
            </span>
            <span className="muted" title={container.id}>
              {container.image} · {shortId(container.id)} · {container.status}
            </span>
          </>
        ) : null}
      </header>
      {!container ? (
        <p className="empty">{missing ? 'This container no longer exists.' : 'Loading…'}</p>
      ) : (
        <>
          <ActionsBar container={container} />
          <div role="tablist" aria-label="Container details" className="ctr-detail-tabs" onKeyDown={onTabKey}>
            {TABS.map((entry) => (
              <button
                key={entry.tab}
                id={`container-tab-${entry.tab}`}
                type="button"
                role="tab"
                aria-selected={entry.tab === tab}
                aria-controls="container-tabpanel"
                tabIndex={entry.tab === tab ? 0 : -1}
                onClick={() => showTab(entry.tab)}
              >
                {entry.label}
              </button>
            ))}
          </div>
          <div id="container-tabpanel" role="tabpanel" aria-labelledby={`container-tab-${tab}`} className="ctr-detail-panel">
            {tab === 'logs' ? <LogsTab key={container.id} container={container} /> : null}
            {tab === 'inspect' ? <InspectTab container={container} /> : null}
            {tab === 'stats' ? <StatsTab container={container} /> : null}
            {tab === 'files' ? <FilesTab key={container.id} container={container} /> : null}
          </div>
        </>
      )}
    </section>
  );
}
