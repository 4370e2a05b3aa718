import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { VolumeName } from '../../../../app/contract/schemas';
import { useApi } from '../../api/api-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { useEngineAction } from '../../components/use-engine-action';
import { formatBytes } from '../../format';
import { volumesQuery } from './volume-queries';
import { useNoticeStore } from '../../components/notice-store';
import { QueryProblem } from '../../components/QueryProblem';
import { VolumeDetailDialog } from './VolumeDetailDialog';
import { ViewHeader } from '../../components/ViewHeader';
import { FormProblem } from '../../components/FormProblem';
import { CloneVolumeDialog, ImportVolumeDialog } from './VolumeTransferDialogs';
import { VolumeTransfersPanel } from './VolumeTransfersPanel';
import { startExport } from './volume-transfer-tasks';
import './volumes.css';

function CreateVolumeForm() {
  const api = useApi();
  const notify = useNoticeStore((state) => state.notify);
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const create = useEngineAction((volumeName: string) => api.volumes.create({ name: volumeName }));
  const hintId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The same schema the API enforces, so the person hears the rule before a round trip.
    const parsed = VolumeName.safeParse(name.trim());
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? 'Invalid volume name.');
      return;
    }
    setProblem(null);
    create.mutate(parsed.data, {
      onSuccess: () => {
        notify('info', `Volume ${parsed.data} created.`);
        setName('');
      },
    });
  };

  return (
    <form className="inline-form" onSubmit={submit} noValidate>
      <label>
        <span>Volume name</span>
        <input
          value={name}
          onChange={(event) => setName(event.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? hintId : undefined}
          autoComplete="off"
        />
      </label>
      <button type="submit" disabled={create.isPending}>
        Create volume
      </button>
      {problem ? <FormProblem id={hintId}>{problem}</FormProblem> : null}
    </form>
  );
}

export function VolumesView() {
  const api = useApi();
  const query = useQuery(volumesQuery(api));
  const notify = useNoticeStore((state) => state.notify);
  const [removing, setRemoving] = useState<string | null>(null);
  const [showing, setShowing] = useState<string | null>(null);
  const [pruning, setPruning] = useState(false);
  const [importing, setImporting] = useState(false);
  const [cloning, setCloning] = useState<string | null>(null);
  const remove = useEngineAction((name: string) => api.volumes.remove({ name }));
  const prune = useEngineAction(() => api.volumes.prune({}));
  const volumes = [...(query.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));

  return (
    <section className="view" aria-labelledby="volumes-title">
      <ViewHeader titleId="volumes-title" title="Volumes" count={query.isSuccess ? `${volumes.length}` : ''}>
        <CreateVolumeForm />
        <button type="button" onClick={() => setImporting(true)}>
          Import volume…
        </button>
        <button type="button" onClick={() => setPruning(true)} disabled={prune.isPending}>
          Prune unused volumes
        </button>
      </ViewHeader>
      <QueryProblem query={query} what="volumes" />
      <VolumeTransfersPanel />
      <DataTable
        label="Volumes"
        rows={volumes}
        rowKey={(volume) => volume.name}
        rowLabel={(volume) => volume.name}
        empty={query.isSuccess ? 'No volumes.' : null}
        columns={[
          { header: 'Name', className: 'mono', cell: (volume) => volume.name },
          { header: 'Driver', cell: (volume) => volume.driver },
          { header: 'Mountpoint', className: 'mono', cell: (volume) => volume.mountpoint },
          { header: 'Created', cell: (volume) => (volume.createdAt ? new Date(volume.createdAt).toLocaleString() : '–') },
          {
            header: 'Actions',
            cell: (volume) => (
              <>
                <button type="button" onClick={() => setShowing(volume.name)} aria-label={`Details for ${volume.name}`}>
                  Details
                </button>{' '}
                <button type="button" onClick={() => startExport(api, volume.name)} aria-label={`Export ${volume.name}`}>
                  Export
                </button>{' '}
                <button type="button" onClick={() => setCloning(volume.name)} aria-label={`Clone ${volume.name}`}>
                  Clone
                </button>{' '}
                <button
                  type="button"
                  className="danger"
                  onClick={() => setRemoving(volume.name)}
                  aria-label={`Remove ${volume.name}`}
                >
                  Remove
                </button>
              </>
            ),
          },
        ]}
      />
      {removing ? (
        <ConfirmDialog
          title={`Remove volume ${removing}?`}
          confirmLabel="Remove"
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            remove.mutate(removing);
            setRemoving(null);
          }}
        >
          <p>Everything stored in it is deleted for good.</p>
        </ConfirmDialog>
      ) : null}
      {importing ? <ImportVolumeDialog onClose={() => setImporting(false)} /> : null}
      {cloning ? <CloneVolumeDialog source={cloning} onClose={() => setCloning(null)} /> : null}
      {showing ? <VolumeDetailDialog name={showing} onClose={() => setShowing(null)} /> : null}
      {pruning ? (
        <ConfirmDialog
          title="Remove every unused volume?"
          confirmLabel="Prune"
          onCancel={() => setPruning(false)}
          onConfirm={() => {
            setPruning(false);
            prune.mutate(undefined, {
              onSuccess: (result) =>
                notify(
                  'info',
                  `Pruned ${result.removed} unused ${result.removed === 1 ? 'volume' : 'volumes'}: ${formatBytes(result.spaceReclaimed)} reclaimed.`,
                ),
            });
          }}
        >
          <p>Every volume no container uses, named or anonymous, is deleted with its data.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
