import { useQuery } from '@tanstack/react-query';
import { isBerthApiError } from '../../../../app/contract/errors';
import { useApi } from '../../api/api-context';
import { DataTable } from '../../components/DataTable';
import { DialogFooter, ModalDialog } from '../../components/ModalDialog';
import { formatBytes } from '../../format';
import { volumeDetailQuery, volumeUsageQuery } from './volume-queries';
import { QueryProblem } from '../../components/QueryProblem';
import { VolumeFileBrowser } from './VolumeFileBrowser';
import './volumes.css';

/** The size, computed when the detail opens (the engine walks the volume) and again on request. */
function VolumeSize({ name }: { name: string }) {
  const api = useApi();
  const usage = useQuery(volumeUsageQuery(api, name));
  let text: string;
  if (usage.isFetching) text = 'Computing…';
  else if (usage.isError) text = `Unknown: ${isBerthApiError(usage.error) ? usage.error.message : String(usage.error)}`;
  else if (usage.data?.size === null) text = 'Not reported by the volume driver';
  else text = usage.data ? formatBytes(usage.data.size) : '–';
  return (
    <>
      <span aria-live="polite">{text}</span>
      <button type="button" onClick={() => void usage.refetch()} disabled={usage.isFetching}>
        Recompute size
      </button>
    </>
  );
}

export function VolumeDetailDialog({ name, onClose }: { name: string; onClose: () => void }) {
  const api = useApi();
  const detail = useQuery(volumeDetailQuery(api, name));
  const volume = detail.data?.volume;
  const users = detail.data?.containers ?? [];

  return (
    <ModalDialog title={`Volume ${name}`} onClose={onClose} className="wide-dialog">
      <QueryProblem query={detail} what={`volume ${name}`} />
      <dl className="detail-facts">
        <dt>Size</dt>
        <dd>
          <VolumeSize name={name} />
        </dd>
        <dt>Driver</dt>
        <dd>{volume?.driver ?? '–'}</dd>
        <dt>Mountpoint</dt>
        <dd className="mono">{volume?.mountpoint ?? '–'}</dd>
        <dt>Created</dt>
        <dd>{volume?.createdAt ? new Date(volume.createdAt).toLocaleString() : '–'}</dd>
      </dl>
      <section className="detail-section" aria-label="Used by">
        <h3>Used by</h3>
        {detail.isSuccess && users.length === 0 ? <p className="muted">No container uses this volume.</p> : null}
        {users.length > 0 ? (
          <DataTable
            label={`Containers using ${name}`}
            rows={users}
            rowKey={(user) => `${user.id}:${user.destination}`}
            rowLabel={(user) => user.name}
            columns={[
              { header: 'Container', className: 'mono', cell: (user) => user.name },
              { header: 'State', cell: (user) => user.state },
              { header: 'Mounted at', className: 'mono', cell: (user) => user.destination },
              { header: 'Access', cell: (user) => (user.readOnly ? 'read-only' : 'read-write') },
            ]}
          />
        ) : null}
      </section>
      {detail.isSuccess ? <VolumeFileBrowser volume={name} /> : null}
      <DialogFooter dismissLabel="Close" onDismiss={onClose} />
    </ModalDialog>
  );
}
