import { useState } from 'react';
import type { ActionFailure } from '../../../../app/contract/container-contract';
import type { ContainerSummary } from '../../../../engine/core/engine-types';
import { useApi } from '../../api/api-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useEngineAction } from '../../components/use-engine-action';
import { useNoticeStore } from '../../components/notice-store';
import { useContainerUi } from './container-ui-store';

type BulkAction = 'start' | 'stop' | 'remove';

export function describeFailures(verb: string, failures: readonly ActionFailure[]): string {
  return `Could not ${verb} ${failures.length === 1 ? '' : `${failures.length} containers: `}${failures
    .map((failure) => `${failure.name}: ${failure.message}`)
    .join('; ')}`;
}

/** Start, stop or remove the selected containers; shown while something is selected. */
export function BulkActionsBar({ selected }: { selected: readonly ContainerSummary[] }) {
  const api = useApi();
  const notify = useNoticeStore((state) => state.notify);
  const clearSelection = useContainerUi((state) => state.clearSelection);
  const [confirming, setConfirming] = useState(false);
  const [force, setForce] = useState(false);
  const bulk = useEngineAction(async ({ action, force: withForce }: { action: BulkAction; force: boolean }) => {
    const { failures } = await api.containers.bulk({ ids: selected.map((container) => container.id), action, force: withForce });
    if (failures.length > 0) notify('error', describeFailures(action, failures));
    if (action === 'remove') clearSelection();
  });
  if (selected.length === 0) return null;
  const anyRunning = selected.some((container) => container.state === 'running' || container.state === 'paused');
  return (
    <div className="ctr-bulk-bar" role="toolbar" aria-label="Selected containers">
      <span aria-live="polite">{selected.length} selected</span>
      <button type="button" disabled={bulk.isPending} onClick={() => bulk.mutate({ action: 'start', force: false })}>
        Start selected
      </button>
      <button type="button" disabled={bulk.isPending} onClick={() => bulk.mutate({ action: 'stop', force: false })}>
        Stop selected
      </button>
      <button
        type="button"
        className="danger"
        disabled={bulk.isPending}
        onClick={() => {
          setForce(anyRunning);
          setConfirming(true);
        }}
      >
        Remove selected…
      </button>
      <button type="button" onClick={clearSelection}>
        Clear selection
      </button>
      {bulk.isPending ? <span className="muted">Working…</span> : null}
      {confirming ? (
        <ConfirmDialog
          title={`Remove ${selected.length} container${selected.length === 1 ? '' : 's'}?`}
          confirmLabel="Remove"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            bulk.mutate({ action: 'remove', force });
          }}
        >
          <p>{selected.map((container) => container.name).join(', ')}</p>
          <p>Their writable layers are deleted. Named volumes are kept.</p>
          {anyRunning ? (
            <label className="checkbox">
              <input type="checkbox" checked={force} onChange={(event) => setForce(event.target.checked)} />
              Force: stop running containers, then remove them
            </label>
          ) : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
