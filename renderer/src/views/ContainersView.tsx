import { useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import type { ContainerSummary } from '../../../engine/types';
import { useApi } from '../api/api-context';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { useEngineAction } from '../components/use-action';
import { containersQuery } from '../queries/resource-queries';
import { useUiStore } from '../state/ui-store';
import { ContainerRow, type ContainerRowActions } from './ContainerRow';
import { matchesFilter } from './container-filter';
import { QueryProblem } from './QueryProblem';

const ROW_HEIGHT = 44;

export function ContainersView() {
  const api = useApi();
  const query = useQuery(containersQuery(api));
  const filter = useUiStore((state) => state.containerFilter);
  const setFilter = useUiStore((state) => state.setContainerFilter);
  const openTerminal = useUiStore((state) => state.openTerminal);
  const [removing, setRemoving] = useState<ContainerSummary | null>(null);
  const [force, setForce] = useState(false);

  const start = useEngineAction((id: string) => api.containers.start({ id }));
  const stop = useEngineAction((id: string) => api.containers.stop({ id }));
  const restart = useEngineAction((id: string) => api.containers.restart({ id }));
  const remove = useEngineAction((args: { id: string; force: boolean }) => api.containers.remove(args));

  const visible = useMemo(() => (query.data ?? []).filter((container) => matchesFilter(container, filter)), [query.data, filter]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => visible[index]!.id,
  });

  const busyId = [start, stop, restart, remove].find((mutation) => mutation.isPending)?.variables;
  const actions = useMemo<ContainerRowActions>(
    () => ({
      start: (container) => start.mutate(container.id),
      stop: (container) => stop.mutate(container.id),
      restart: (container) => restart.mutate(container.id),
      remove: (container) => {
        setForce(container.state === 'running');
        setRemoving(container);
      },
      openTerminal: (container) => openTerminal({ containerId: container.id, containerName: container.name }),
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
      </header>
      <QueryProblem query={query} what="containers" />
      <div role="table" aria-label="Containers" aria-rowcount={visible.length + 1} className="table containers-table">
        <div role="rowgroup" className="table-head">
          <div role="row" aria-rowindex={1} className="row head">
            {['Name', 'Image', 'State', 'Status', 'Ports', 'Created', 'Actions'].map((title) => (
              <span key={title} role="columnheader" className={`cell ${title.toLowerCase()}`}>
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
            {virtualizer.getVirtualItems().map((item) => {
              const container = visible[item.index]!;
              return (
                <ContainerRow
                  key={container.id}
                  container={container}
                  rowIndex={item.index + 2}
                  top={item.start}
                  busy={busyId === container.id || (typeof busyId === 'object' && busyId?.id === container.id)}
                  actions={actions}
                />
              );
            })}
          </div>
        </div>
      </div>
      {removing ? (
        <ConfirmDialog
          title={`Remove container ${removing.name}?`}
          confirmLabel="Remove"
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            remove.mutate({ id: removing.id, force });
            setRemoving(null);
          }}
        >
          <p>Its writable layer is deleted. Named volumes are kept.</p>
          {removing.state === 'running' ? (
            <label className="checkbox">
              <input type="checkbox" checked={force} onChange={(event) => setForce(event.target.checked)} />
              Force: stop the running container, then remove it
            </label>
          ) : null}
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
