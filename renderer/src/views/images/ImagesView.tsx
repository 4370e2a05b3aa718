import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useApi } from '../../api/api-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { useEngineAction } from '../../components/use-engine-action';
import { formatAge, formatBytes, shortId } from '../../format';
import { imagesQuery } from './image-queries';
import { useNoticeStore } from '../../components/notice-store';
import { BuildDialog } from './BuildDialog';
import { ImageDetailDialog } from './ImageDetailDialog';
import type { ImageTask } from './image-task-store';
import { ImageTasksPanel } from './ImageTasksPanel';
import { RegistryLoginDialog } from './RegistryLoginDialog';
import { RunDialog } from './RunDialog';
import { TagDialog } from './TagDialog';
import { TransferDialog } from './TransferDialog';
import { QueryProblem } from '../../components/QueryProblem';
import { ViewHeader } from '../../components/ViewHeader';
import './images.css';

interface ImageRow {
  key: string;
  /** What Remove removes: the tag (untagging it) or, for an untagged image, the id. */
  reference: string;
  label: string;
  id: string;
  size: number;
  created: number;
  platform: string | null;
  tagged: boolean;
}

/** The dialog open over the list, if any (UI state that lives and dies with this view). */
type OpenDialog =
  | { kind: 'pull'; taskId?: number }
  | { kind: 'push'; reference: string; taskId?: number }
  | { kind: 'build'; taskId?: number }
  | { kind: 'run'; image: string }
  | { kind: 'tag'; source: string }
  | { kind: 'detail'; reference: string }
  | { kind: 'logins' }
  | { kind: 'remove'; row: ImageRow }
  | { kind: 'prune' };

export function ImagesView() {
  const api = useApi();
  const query = useQuery(imagesQuery(api));
  const notify = useNoticeStore((state) => state.notify);
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const close = () => setDialog(null);
  const remove = useEngineAction((reference: string) => api.images.remove({ reference }));
  const prune = useEngineAction(() => api.images.prune({}));

  // One row per tag, as `docker images` shows them.
  const rows = useMemo<ImageRow[]>(
    () =>
      (query.data ?? [])
        .flatMap((image) =>
          (image.repoTags.length > 0 ? image.repoTags : [null]).map((tag) => ({
            key: `${image.id}/${tag ?? ''}`,
            reference: tag ?? image.id,
            label: tag ?? '<none>:<none>',
            id: image.id,
            size: image.size,
            created: image.created,
            platform: image.platform,
            tagged: tag !== null,
          })),
        )
        .sort((a, b) => a.label.localeCompare(b.label)),
    [query.data],
  );

  // Reopens a pull's, push's or build's dialog on its progress (it kept running while closed).
  const showTask = (task: ImageTask) =>
    setDialog(
      task.kind === 'push' ? { kind: 'push', reference: task.subject, taskId: task.id } : { kind: task.kind, taskId: task.id },
    );

  const confirmPrune = () => {
    close();
    prune.mutate(undefined, {
      onSuccess: ({ removed, spaceReclaimed }) =>
        notify(
          'info',
          removed === 0
            ? 'No dangling images to remove.'
            : `Removed ${removed} dangling image${removed === 1 ? '' : 's'}, reclaiming ${formatBytes(spaceReclaimed)}.`,
        ),
    });
  };

  return (
    <section className="view" aria-labelledby="images-title">
      <ViewHeader titleId="images-title" title="Images" count={query.isSuccess ? `${rows.length}` : ''}>
        <div className="view-actions" role="toolbar" aria-label="Image actions">
          <button type="button" onClick={() => setDialog({ kind: 'pull' })}>
            Pull…
          </button>
          <button type="button" onClick={() => setDialog({ kind: 'build' })}>
            Build…
          </button>
          <button type="button" onClick={() => setDialog({ kind: 'run', image: '' })}>
            Run…
          </button>
          <button type="button" onClick={() => setDialog({ kind: 'logins' })}>
            Registries…
          </button>
          <button type="button" onClick={() => setDialog({ kind: 'prune' })} disabled={prune.isPending}>
            Prune dangling
          </button>
        </div>
      </ViewHeader>
      <QueryProblem query={query} what="images" />
      <ImageTasksPanel onShow={showTask} />
      <DataTable
        label="Images"
        rows={rows}
        rowKey={(row) => row.key}
        rowLabel={(row) => row.label}
        empty={query.isSuccess ? 'No images.' : null}
        columns={[
          { header: 'Repository:Tag', cell: (row) => row.label },
          { header: 'Image ID', className: 'mono', cell: (row) => shortId(row.id) },
          { header: 'Platform', className: 'mono', cell: (row) => row.platform ?? '—' },
          { header: 'Size', cell: (row) => formatBytes(row.size) },
          { header: 'Created', cell: (row) => formatAge(row.created) },
          {
            header: 'Actions',
            cell: (row) => (
              <div className="row-actions">
                <button
                  type="button"
                  onClick={() => setDialog({ kind: 'run', image: row.reference })}
                  aria-label={`Run ${row.label}`}
                >
                  Run
                </button>
                <button
                  type="button"
                  onClick={() => setDialog({ kind: 'detail', reference: row.reference })}
                  aria-label={`Details of ${row.label}`}
                >
                  Details
                </button>
                <button
                  type="button"
                  onClick={() => setDialog({ kind: 'tag', source: row.reference })}
                  aria-label={`Tag ${row.label}`}
                >
                  Tag
                </button>
                {row.tagged ? (
                  <button
                    type="button"
                    onClick={() => setDialog({ kind: 'push', reference: row.reference })}
                    aria-label={`Push ${row.label}`}
                  >
                    Push
                  </button>
                ) : null}
                <button
                  type="button"
                  className="danger"
                  disabled={remove.isPending && remove.variables === row.reference}
                  onClick={() => setDialog({ kind: 'remove', row })}
                  aria-label={`Remove ${row.label}`}
                >
                  Remove
                </button>
              </div>
            ),
          },
        ]}
      />
      {dialog?.kind === 'pull' ? <TransferDialog mode="pull" taskId={dialog.taskId} onClose={close} /> : null}
      {dialog?.kind === 'push' ? (
        <TransferDialog mode="push" initialReference={dialog.reference} taskId={dialog.taskId} onClose={close} />
      ) : null}
      {dialog?.kind === 'build' ? <BuildDialog taskId={dialog.taskId} onClose={close} /> : null}
      {dialog?.kind === 'run' ? <RunDialog initialImage={dialog.image} onClose={close} /> : null}
      {dialog?.kind === 'tag' ? <TagDialog source={dialog.source} onClose={close} /> : null}
      {dialog?.kind === 'detail' ? <ImageDetailDialog reference={dialog.reference} onClose={close} /> : null}
      {dialog?.kind === 'logins' ? <RegistryLoginDialog onClose={close} /> : null}
      {dialog?.kind === 'prune' ? (
        <ConfirmDialog title="Remove dangling images?" confirmLabel="Prune" onCancel={close} onConfirm={confirmPrune}>
          <p>Images with no tag that no container uses are deleted, and the space they take is freed.</p>
        </ConfirmDialog>
      ) : null}
      {dialog?.kind === 'remove' ? (
        <ConfirmDialog
          title={`Remove image ${dialog.row.label}?`}
          confirmLabel="Remove"
          onCancel={close}
          onConfirm={() => {
            remove.mutate(dialog.row.reference);
            close();
          }}
        >
          <p>
            {dialog.row.reference === dialog.row.id
              ? 'The image and its unused layers are deleted.'
              : 'The tag is removed; the image is deleted when no other tag points to it.'}
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
