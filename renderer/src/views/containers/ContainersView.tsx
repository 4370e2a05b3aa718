import { useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import type { ContainerSummary } from '../../../../engine/core/engine-types';
import { useApi } from '../../api/api-context';
import { useNavigation } from '../../navigation';
import { useEngineAction } from '../../components/use-engine-action';
import { containersQuery } from './container-queries';
import { useTerminalStore } from '../../terminals/terminal-store';
import { ContainerRow, type ContainerRowActions } from './ContainerRow';
import { matchesFilter } from './container-filter';
import { BulkActionsBar } from './BulkActionsBar';
import { buildListRows } from './container-list-rows';
import { useContainerUi } from './container-ui-store';
import { ProjectRow } from './ProjectRow';
import { RemoveContainerDialog } from './RemoveContainerDialog';
import { ComposeFileDialog } from './ComposeFileDialog';
import { useListStats } from './use-list-stats';
import { QueryProblem } from '../../components/QueryProblem';
import './containers.css';

const ROW_HEIGHT = 44;

const COLUMNS = ['Name', 'Image', 'State', 'Status', 'CPU', 'Memory', 'Ports', 'Created', 'Actions'];
// The detail (charts, log viewer) is fetched while the list is idle, not with the first page. Once it is
// loaded it renders directly: React.lazy would still suspend on first use, and React holds a revealed
// Suspense boundary back for up to 300 ms.
type DetailModule = typeof import('./ContainerDetail');
let detailModule: DetailModule | null = null;
const loadDetail = () => import('./ContainerDetail').then((module) => (detailModule = module));
const LazyContainerDetail = lazy(() => loadDetail().then((module) => ({ default: module.ContainerDetail })));

/** The list, or the detail of the container the address names (#/containers/<name>/<tab>). */
export function ContainersView() {
  const route = useNavigation((state) => state.route);
  if (route.kind !== 'container') return <ContainerList />;
  const Loaded = detailModule?.ContainerDetail;
  if (Loaded) return <Loaded containerRef={route.ref} tab={route.tab} />;
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <LazyContainerDetail containerRef={route.ref} tab={route.tab} />
    </Suspense>
  );
}

function ContainerList() {
  const api = useApi();
  const query = useQuery(containersQuery(api));
  const filter = useContainerUi((state) => state.filter);
  const setFilter = useContainerUi((state) => state.setFilter);
  const openTerminal = useTerminalStore((state) => state.openTerminal);
  const [removing, setRemoving] = useState<ContainerSummary | null>(null);
  const [openingCompose, setOpeningCompose] = useState(false);

  const start = useEngineAction((id: string) => api.containers.start({ id }));
  const stop = useEngineAction((id: string) => api.containers.stop({ id }));
  const restart = useEngineAction((id: string) => api.containers.restart({ id }));
  const remove = useEngineAction((args: { id: string; force: boolean }) => api.containers.remove(args));

  const visible = useMemo(() => (query.data ?? []).filter((container) => matchesFilter(container, filter)), [query.data, filter]);
  const collapsed = useContainerUi((state) => state.collapsed);
  const selectedIds = useContainerUi((state) => state.selected);
  const keepSelected = useContainerUi((state) => state.keepSelected);
  const toggleAll = useContainerUi((state) => state.toggleAll);
  const rows = useMemo(() => buildListRows(visible, collapsed), [visible, collapsed]);
  const selected = useMemo(
    () => (query.data ?? []).filter((container) => selectedIds.has(container.id)),
    [query.data, selectedIds],
  );
  // A removed container leaves the selection.
  useEffect(() => keepSelected(new Set((query.data ?? []).map((container) => container.id))), [query.data, keepSelected]);
  // Fetch the detail's code while the person looks at the list, so opening a log does not wait for it.
  useEffect(() => {
    const handle = requestIdleCallback(() => void loadDetail());
    return () => cancelIdleCallback(handle);
  }, []);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => rows[index]!.key,
  });
  const items = virtualizer.getVirtualItems();
  const runningInView = items.flatMap((item) => {
    const row = rows[item.index];
    return row?.kind === 'container' && row.container.state === 'running' ? [row.container.id] : [];
  });
  const stats = useListStats(runningInView);
  const allShownSelected = visible.length > 0 && visible.every((container) => selectedIds.has(container.id));

  const busyId = [start, stop, restart, remove].find((mutation) => mutation.isPending)?.variables;
  const actions = useMemo<ContainerRowActions>(
    () => ({
      start: (container) => start.mutate(container.id),
      stop: (container) => stop.mutate(container.id),
      restart: (container) => restart.mutate(container.id),
      remove: (container) => setRemoving(container),
      openTerminal: (container) => openTerminal({ containerId: container.id, containerName: container.name }),
      toggleSelected: (container) => useContainerUi.getState().toggleSelected(container.id),
      // Opened once its code is there, so it renders at once rather than through a Suspense fallback.
      openDetail: (container) =>
        void loadDetail().then(() => useNavigation.getState().navigate({ kind: 'container', ref: container.name, tab: 'logs' })),
    }),
    // The mutate functions are stable; the row memo depends on this object staying the same.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  const total = query.data?.length ?? 0;
  return (
    <section className="view" aria-labelledby="containers-title">
      <header className="view-header">
        <h1 id="containers-title">Containers</h1>
        <span className="count" aria-live="polite">
          {query.isSuccess ? `${visible.length} of ${total}` : ''}
        </span>
        <label className="filter">
          <span>Filter containers</span>
          <input
            type="search"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
            placeholder="name, image, state…"
          />
        </label>
        <button type="button" onClick={() => setOpeningCompose(true)}>
          Open compose file…
        </button>
      </header>
      {openingCompose ? <ComposeFileDialog onClose={() => setOpeningCompose(false)} /> : null}
      <QueryProblem query={query} what="containers" />
      <BulkActionsBar selected={selected} />
      <div role="table" aria-label="Containers" aria-rowcount={rows.length + 1} className="table containers-table with-stats">
        <div role="rowgroup" className="table-head">
          <div role="row" aria-rowindex={1} className="row head">
            {COLUMNS.map((title) => (
              <span key={title} role="columnheader" className={`cell ${title.toLowerCase()}`}>
                {title === 'Name' ? (
                  <input
                    type="checkbox"
                    checked={allShownSelected}
                    disabled={visible.length === 0}
                    onChange={() => toggleAll(visible.map((container) => container.id))}
                    aria-label="Select all shown containers"
                  />
                ) : null}
                {title}
              </span>
            ))}
          </div>
        </div>
        <div ref={scroller} role="rowgroup" className="table-body" tabIndex={-1}>
          {query.isSuccess && visible.length === 0 ? (
            <p className="empty">
              {total === 0 ? 'No containers yet. Create one with docker run.' : 'No container matches the filter.'}
            </p>
          ) : null}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const row = rows[item.index]!;
              if (row.kind === 'project') {
                return (
                  <ProjectRow
                    key={row.key}
                    project={row.project}
                    containers={row.containers}
                    collapsed={row.collapsed}
                    rowIndex={item.index + 2}
                    top={item.start}
                  />
                );
              }
              const container = row.container;
              return (
                <ContainerRow
                  key={row.key}
                  container={container}
                  rowIndex={item.index + 2}
                  top={item.start}
                  busy={busyId === container.id || (typeof busyId === 'object' && busyId?.id === container.id)}
                  actions={actions}
                  selected={selectedIds.has(container.id)}
                  stats={stats.get(container.id)}
                  inProject={row.project !== null}
                />
              );
            })}
          </div>
        </div>
      </div>
      {removing ? (
        <RemoveContainerDialog
          container={removing}
          onCancel={() => setRemoving(null)}
          onConfirm={(force) => {
            remove.mutate({ id: removing.id, force });
            setRemoving(null);
          }}
        />
      ) : null}
    </section>
  );
}
