import { useQuery } from '@tanstack/react-query';
import { isBerthApiError } from '../../../../app/contract/errors';
import { useApi } from '../../api/api-context';
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
          <table className="plain-table" aria-label={`Containers using ${name}`}>
            <thead>
              <tr>
                <th scope="col">Container</th>
                <th scope="col">State</th>
                <th scope="col">Mounted at</th>
                <th scope="col">Access</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={`${user.id}:${user.destination}`} aria-label={user.name}>
                  <td className="mono">{user.name}</td>
                  <td>{user.state}</td>
                  <td className="mono">{user.destination}</td>
                  <td>{user.readOnly ? 'read-only' : 'read-write'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      {detail.isSuccess ? <VolumeFileBrowser volume={name} /> : null}
      <DialogFooter dismissLabel="Close" onDismiss={onClose} />
    </ModalDialog>
  );
}
