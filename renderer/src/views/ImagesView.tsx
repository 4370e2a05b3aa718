import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useApi } from '../api/api-context';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { useEngineAction } from '../components/use-action';
import { formatAge, formatBytes, shortId } from '../format';
import { imagesQuery } from '../queries/resource-queries';
import { QueryProblem } from './QueryProblem';

interface ImageRow {
  key: string;
  /** What Remove removes: the tag (untagging it) or, for an untagged image, the id. */
  reference: string;
  label: string;
  id: string;
  size: number;
  created: number;
}

export function ImagesView() {
  const api = useApi();
  const query = useQuery(imagesQuery(api));
  const [removing, setRemoving] = useState<ImageRow | null>(null);
  const remove = useEngineAction((reference: string) => api.images.remove({ reference }));

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
          })),
        )
        .sort((a, b) => a.label.localeCompare(b.label)),
    [query.data],
  );

  return (
    <section className="view" aria-labelledby="images-title">
      <header className="view-header">
        <h1 id="images-title">Images</h1>
        <span className="count">{query.isSuccess ? `${rows.length}` : ''}</span>
      </header>
      <QueryProblem query={query} what="images" />
      <table className="plain-table" aria-label="Images">
        <thead>
          <tr>
            <th scope="col">Repository:Tag</th>
            <th scope="col">Image ID</th>
            <th scope="col">Size</th>
            <th scope="col">Created</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} aria-label={row.label}>
              <td>{row.label}</td>
              <td className="mono">{shortId(row.id)}</td>
              <td>{formatBytes(row.size)}</td>
              <td>{formatAge(row.created)}</td>
              <td>
                <button
                  type="button"
                  className="danger"
                  disabled={remove.isPending && remove.variables === row.reference}
                  onClick={() => setRemoving(row)}
                  aria-label={`Remove ${row.label}`}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {query.isSuccess && rows.length === 0 ? <p className="empty">No images.</p> : null}
      {removing ? (
        <ConfirmDialog
          title={`Remove image ${removing.label}?`}
          confirmLabel="Remove"
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            remove.mutate(removing.reference);
            setRemoving(null);
          }}
        >
          <p>
            {removing.reference === removing.id
              ? 'The image and its unused layers are deleted.'
              : 'The tag is removed; the image is deleted when no other tag points to it.'}
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
