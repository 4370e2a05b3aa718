import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { MAX_UPLOAD_BYTES, UPLOAD_CHUNK_BYTES, type FileEntry } from '../../../../app/contract/container-contract';
import { isBerthApiError } from '../../../../app/contract/errors';
import type { ContainerSummary } from '../../../../engine/core/engine-types';
import { useApi } from '../../api/api-context';
import { DataTable } from '../../components/DataTable';
import { formatBytes } from '../../format';
import { useNoticeStore } from '../../components/notice-store';
import { QueryProblem } from '../../components/QueryProblem';
import { containerDetailKeys, containerFilesQuery } from './container-detail-queries';
import { bytesToBase64, downloadContainerPath } from './save-download';

export function joinPath(directory: string, name: string): string {
  return directory === '/' ? `/${name}` : `${directory}/${name}`;
}

export function parentPath(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

const typeLabel: Record<FileEntry['type'], string> = { directory: 'folder', file: 'file', symlink: 'link', other: 'special' };
const errorText = (error: unknown) => (isBerthApiError(error) ? error.message : String(error));

/** The Files tab: browse the container's filesystem (running or not), download, upload. */
export function FilesTab({ container }: { container: ContainerSummary }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const notify = useNoticeStore((state) => state.notify);
  const [path, setPath] = useState('/');
  const [typed, setTyped] = useState('/');
  const [busy, setBusy] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const listing = useQuery(containerFilesQuery(api, container.id, path));

  const go = (next: string) => {
    setPath(next);
    setTyped(next);
  };
  const download = async (target: string) => {
    setBusy(`Downloading ${target}…`);
    try {
      notify('info', `Saved ${await downloadContainerPath(api, container.id, target)}.`);
    } catch (error) {
      notify('error', `Could not download ${target}: ${errorText(error)}`);
    } finally {
      setBusy(null);
    }
  };
  const upload = async (file: File) => {
    if (file.size > MAX_UPLOAD_BYTES) {
      notify('error', `${file.name} is larger than 256 MiB, the most Berth uploads at once.`);
      return;
    }
    setBusy(`Uploading ${file.name}…`);
    let uploadId: string | null = null;
    try {
      ({ uploadId } = await api.containers.uploadStart({ id: container.id, directory: path, name: file.name, size: file.size }));
      for (let offset = 0; offset < file.size; offset += UPLOAD_CHUNK_BYTES) {
        const bytes = new Uint8Array(await file.slice(offset, offset + UPLOAD_CHUNK_BYTES).arrayBuffer());
        await api.containers.uploadChunk({ uploadId, base64: bytesToBase64(bytes) });
        setBusy(`Uploading ${file.name}… ${Math.round(((offset + bytes.length) / Math.max(1, file.size)) * 100)} %`);
      }
      await api.containers.uploadFinish({ uploadId, abort: false });
      notify('info', `Uploaded ${file.name} to ${path}.`);
      await queryClient.invalidateQueries({ queryKey: containerDetailKeys.files(container.id, path) });
    } catch (error) {
      if (uploadId) void api.containers.uploadFinish({ uploadId, abort: true }).catch(() => undefined);
      notify('error', `Could not upload ${file.name}: ${errorText(error)}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="files-tab">
      <div className="ctr-detail-toolbar" role="toolbar" aria-label="Files options">
        <button type="button" onClick={() => go(parentPath(path))} disabled={path === '/'} aria-label="Up one folder">
          ↑ Up
        </button>
        <form
          className="ctr-path-form"
          onSubmit={(event) => {
            event.preventDefault();
            const next = typed.trim().replace(/\/+$/, '') || '/';
            go(next.startsWith('/') ? next : `/${next}`);
          }}
        >
          <label>
            Path <input value={typed} onChange={(event) => setTyped(event.target.value)} spellCheck={false} />
          </label>
          <button type="submit">Go</button>
        </form>
        <button type="button" onClick={() => void download(path)} disabled={busy !== null}>
          Download folder
        </button>
        <button type="button" onClick={() => fileInput.current?.click()} disabled={busy !== null}>
          Upload file…
        </button>
        <input
          ref={fileInput}
          type="file"
          hidden
          aria-label={`Upload a file to ${path}`}
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) void upload(file);
          }}
        />
        <button type="button" onClick={() => void listing.refetch()} aria-label="Reload folder">
          ↻
        </button>
      </div>
      <p role="status" className="ctr-detail-status" aria-label="Files status">
        {busy ?? (listing.data?.truncated ? `Showing part of ${path}: it holds more than can be listed at once.` : '')}
      </p>
      <QueryProblem query={listing} what={path} />
      <div className="ctr-files-scroll">
        <DataTable
          label={`Files in ${path}`}
          className="ctr-files-table"
          rows={listing.data?.entries ?? []}
          rowKey={(entry) => entry.name}
          rowLabel={(entry) => entry.name}
          empty={listing.isSuccess ? 'This folder is empty.' : null}
          columns={[
            {
              header: 'Name',
              cell: (entry) => (
                <>
                  <span className="file-kind" data-type={entry.type}>
                    {typeLabel[entry.type]}
                  </span>{' '}
                  {entry.type === 'directory' || entry.type === 'symlink' ? (
                    <button
                      type="button"
                      className="ctr-link-button"
                      onClick={() => go(joinPath(path, entry.name))}
                      aria-label={`Open ${entry.name}`}
                    >
                      {entry.name}
                    </button>
                  ) : (
                    entry.name
                  )}
                  {entry.linkTarget ? <span className="muted"> → {entry.linkTarget}</span> : null}
                </>
              ),
            },
            { header: 'Size', cell: (entry) => (entry.type === 'file' ? formatBytes(entry.size) : '') },
            { header: 'Modified', cell: (entry) => new Date(entry.modified * 1000).toLocaleString() },
            { header: 'Permissions', className: 'mono', cell: (entry) => entry.permissions },
            {
              header: <span className="ctr-visually-hidden">Actions</span>,
              cell: (entry) => (
                <button
                  type="button"
                  onClick={() => void download(joinPath(path, entry.name))}
                  disabled={busy !== null}
                  aria-label={`Download ${entry.name}`}
                >
                  Download
                </button>
              ),
            },
          ]}
        />
      </div>
    </div>
  );
}
