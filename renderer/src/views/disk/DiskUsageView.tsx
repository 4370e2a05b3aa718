import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { DiskUsageKind, PruneResult } from '../../../../app/contract/system-contract';
import { useApi } from '../../api/api-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { useEngineAction } from '../../components/use-engine-action';
import { formatBytes } from '../../format';
import { diskUsageQuery } from './disk-queries';
import { QueryProblem } from '../../components/QueryProblem';
import { describePrune, DISK_KINDS } from './disk-kinds';
import './disk.css';

/**
 * What images, containers, volumes and build cache take, computed by the engine when the page opens
 * (and on Recompute, and after a prune): never in the background, because it walks every layer and volume.
 */
export function DiskUsageView() {
  const api = useApi();
  const usage = useQuery(diskUsageQuery(api));
  const [confirming, setConfirming] = useState<DiskUsageKind | null>(null);
  const [results, setResults] = useState<Partial<Record<DiskUsageKind, PruneResult>>>({});
  const [lastPrune, setLastPrune] = useState<PruneResult | null>(null);
  const prune = useEngineAction((kind: DiskUsageKind) => api.system.prune({ kind }));
  const entries = usage.data?.entries ?? [];
  const total = (pick: 'size' | 'reclaimable') => entries.reduce((sum, entry) => sum + entry[pick], 0);

  const runPrune = (kind: DiskUsageKind) => {
    setConfirming(null);
    prune.mutate(kind, {
      onSuccess: (result) => {
        setResults((current) => ({ ...current, [kind]: result }));
        setLastPrune(result);
        void usage.refetch();
      },
    });
  };

  return (
    <section className="view" aria-labelledby="disk-title">
      <header className="view-header">
        <h1 id="disk-title">Disk usage</h1>
        <span className="muted" aria-live="polite">
          {usage.isFetching
            ? 'Computing… the engine measures every image, container and volume.'
            : usage.data
              ? `Computed at ${new Date(usage.data.computedAt).toLocaleTimeString()}`
              : ''}
        </span>
        <button type="button" onClick={() => void usage.refetch()} disabled={usage.isFetching} className="push-right">
          Recompute
        </button>
      </header>
      {lastPrune ? (
        <p role="status" aria-label="Prune result" className="notice">
          Pruned {DISK_KINDS[lastPrune.kind].label.toLowerCase()}: {describePrune(lastPrune)}
        </p>
      ) : null}
      <QueryProblem query={usage} what="disk usage" />
      {usage.data ? (
        <DataTable
          label="Disk usage"
          rows={entries}
          rowKey={(entry) => entry.kind}
          rowLabel={(entry) => DISK_KINDS[entry.kind].label}
          columns={[
            { header: 'Kind', rowHeader: true, cell: (entry) => DISK_KINDS[entry.kind].label },
            { header: 'Count', className: 'numeric', cell: (entry) => entry.count },
            { header: 'In use', className: 'numeric', cell: (entry) => entry.active },
            { header: 'Size', className: 'numeric', cell: (entry) => formatBytes(entry.size) },
            { header: 'Reclaimable', className: 'numeric', cell: (entry) => formatBytes(entry.reclaimable) },
            {
              header: 'Last prune',
              cell: (entry) => {
                const result = results[entry.kind];
                return result ? describePrune(result) : '–';
              },
            },
            {
              header: 'Actions',
              cell: (entry) => {
                const { label } = DISK_KINDS[entry.kind];
                return (
                  <button
                    type="button"
                    className="danger"
                    onClick={() => setConfirming(entry.kind)}
                    disabled={prune.isPending}
                    aria-label={`Prune ${label.toLowerCase()}`}
                  >
                    Prune
                  </button>
                );
              },
            },
          ]}
          footer={
            <tr aria-label="Total">
              <th scope="row">Total</th>
              <td />
              <td />
              <td className="numeric">{formatBytes(total('size'))}</td>
              <td className="numeric">{formatBytes(total('reclaimable'))}</td>
              <td />
              <td />
            </tr>
          }
        />
      ) : null}
      {confirming ? (
        <ConfirmDialog
          title={`Prune ${DISK_KINDS[confirming].label.toLowerCase()}?`}
          confirmLabel="Prune"
          onCancel={() => setConfirming(null)}
          onConfirm={() => runPrune(confirming)}
        >
          <p>{DISK_KINDS[confirming].pruneRemoves}</p>
          <p>About {formatBytes(entries.find((entry) => entry.kind === confirming)?.reclaimable ?? 0)} would be reclaimed.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
