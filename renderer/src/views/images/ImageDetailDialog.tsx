import { useQuery } from '@tanstack/react-query';
import { useId, useState, type KeyboardEvent } from 'react';
import type { ImageDetailInfo } from '../../../../app/contract/image-contract';
import { useApi } from '../../api/api-context';
import { DataTable } from '../../components/DataTable';
import { DialogFooter, ModalDialog } from '../../components/ModalDialog';
import { formatAge, formatBytes, shortId } from '../../format';
import { QueryProblem } from '../../components/QueryProblem';
import { imageDetailQuery } from './image-queries';
import './images.css';

const TABS = ['Inspect', 'History', 'Containers'] as const;
type Tab = (typeof TABS)[number];

function HistoryTable({ detail }: { detail: ImageDetailInfo }) {
  return (
    <DataTable
      label="Layers"
      className="history"
      rows={detail.history}
      rowKey={(entry, index) => `${entry.id ?? 'missing'}-${index}`}
      columns={[
        {
          header: 'Created by',
          className: 'mono created-by',
          cell: (entry) => entry.createdBy.replace(/^\/bin\/sh -c #\(nop\)\s*/, ''),
        },
        { header: 'Size', cell: (entry) => formatBytes(entry.size) },
        { header: 'Created', cell: (entry) => formatAge(entry.created) },
      ]}
    />
  );
}

function UsersList({ detail }: { detail: ImageDetailInfo }) {
  if (detail.containers.length === 0) return <p className="muted">No container uses this image.</p>;
  return (
    <ul aria-label="Containers using this image">
      {detail.containers.map((container) => (
        <li key={container.id}>
          {container.name} <span className="muted">({container.state})</span>
        </li>
      ))}
    </ul>
  );
}

/** One image: its inspect JSON, its layers (size and the instruction that made each), the containers using it. */
export function ImageDetailDialog({ reference, onClose }: { reference: string; onClose: () => void }) {
  const api = useApi();
  const query = useQuery(imageDetailQuery(api, reference));
  const [tab, setTab] = useState<Tab>('History');
  const baseId = useId();
  const detail = query.data;

  const onTabKey = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = TABS[(TABS.indexOf(tab) + step + TABS.length) % TABS.length]!;
    setTab(next);
    document.getElementById(`${baseId}-${next}-tab`)?.focus();
  };

  return (
    <ModalDialog title={`Image ${reference}`} onClose={onClose} className="image-dialog wide">
      <QueryProblem query={query} what="the image" />
      {detail ? (
        <>
          <dl className="facts">
            <dt>ID</dt>
            <dd className="mono">{shortId(detail.id)}</dd>
            <dt>Tags</dt>
            <dd>{detail.repoTags.join(', ') || '<none>'}</dd>
            <dt>Size</dt>
            <dd>{formatBytes(detail.size)}</dd>
            <dt>Created</dt>
            <dd>{new Date(detail.created).toLocaleString()}</dd>
            <dt>Platform</dt>
            <dd>
              {detail.os}/{detail.architecture}
            </dd>
          </dl>
          <div role="tablist" aria-label="Image detail" onKeyDown={onTabKey}>
            {TABS.map((name) => (
              <button
                key={name}
                type="button"
                role="tab"
                id={`${baseId}-${name}-tab`}
                aria-selected={tab === name}
                aria-controls={`${baseId}-${name}-panel`}
                tabIndex={tab === name ? 0 : -1}
                onClick={() => setTab(name)}
              >
                {name === 'Containers' ? `Containers (${detail.containers.length})` : name}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`${baseId}-${tab}-panel`} aria-labelledby={`${baseId}-${tab}-tab`} className="detail-panel">
            {tab === 'Inspect' ? <pre className="json">{JSON.stringify(detail.inspect, null, 2)}</pre> : null}
            {tab === 'History' ? <HistoryTable detail={detail} /> : null}
            {tab === 'Containers' ? <UsersList detail={detail} /> : null}
          </div>
        </>
      ) : null}
      <DialogFooter dismissLabel="Close" onDismiss={onClose} />
    </ModalDialog>
  );
}
