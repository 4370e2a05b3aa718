import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { VolumeEntry } from '../../../../app/contract/volume-contract';
import { useApi } from '../../api/api-context';
import { DataTable } from '../../components/DataTable';
import { formatBytes } from '../../format';
import { volumeFileQuery, volumeFilesQuery } from './volume-queries';
import { QueryProblem } from '../../components/QueryProblem';
import { joinPath, parentPath, pathSegments } from './volume-paths';
import './volumes.css';

const PREVIEW_LIMIT = '64 KiB';

function FilePreview({ volume, path }: { volume: string; path: string }) {
  const api = useApi();
  const file = useQuery(volumeFileQuery(api, volume, path));
  return (
    <div className="detail-section">
      <h4>{path}</h4>
      <QueryProblem query={file} what={path} />
      {file.data ? (
        file.data.text === null ? (
          <p className="muted">Not text ({formatBytes(file.data.size)}); not shown.</p>
        ) : (
          <>
            {file.data.truncated ? (
              <p className="muted">
                The first {PREVIEW_LIMIT} of {formatBytes(file.data.size)}.
              </p>
            ) : null}
            <pre className="file-preview mono" aria-label={`Contents of ${path}`} tabIndex={0}>
              {file.data.text}
            </pre>
          </>
        )
      ) : null}
    </div>
  );
}

function EntryName({ entry, onOpen }: { entry: VolumeEntry; onOpen: () => void }) {
  if (entry.type === 'other') return <span className="mono">{entry.name}</span>;
  const isDirectory = entry.type === 'directory';
  return (
    <button
      type="button"
      className="link-like mono"
      onClick={onOpen}
      aria-label={isDirectory ? `Open folder ${entry.name}` : `Show ${entry.name}`}
    >
      {isDirectory ? `${entry.name}/` : entry.type === 'symlink' ? `${entry.name} →` : entry.name}
    </button>
  );
}

/** A volume's folders and files, read through a helper container each time a folder is opened. */
export function VolumeFileBrowser({ volume }: { volume: string }) {
  const api = useApi();
  const [path, setPath] = useState('/');
  const [shown, setShown] = useState<string | null>(null);
  const files = useQuery(volumeFilesQuery(api, volume, path));
  const openFolder = (next: string) => {
    setPath(next);
    setShown(null);
  };

  return (
    <section className="detail-section" aria-label="Files">
      <div className="section-header">
        <h3>Files</h3>
        <nav className="breadcrumbs" aria-label="Folder path">
          <ol>
            {pathSegments(path).map((segment) => (
              <li key={segment.path}>
                <button
                  type="button"
                  className="link-like"
                  aria-current={segment.path === path ? 'location' : undefined}
                  onClick={() => openFolder(segment.path)}
                >
                  {segment.label}
                </button>
              </li>
            ))}
          </ol>
        </nav>
        <button type="button" onClick={() => void files.refetch()} disabled={files.isFetching}>
          Refresh files
        </button>
      </div>
      <p className="muted">Read through a short-lived helper container that mounts the volume read-only.</p>
      <QueryProblem query={files} what="the files" />
      {files.isFetching && files.data ? <p className="muted">Reading…</p> : null}
      {files.data ? (
        <div className="scroll-area">
          <DataTable
            label={`Files in ${volume}`}
            rows={files.data.entries}
            rowKey={(entry) => entry.name}
            rowLabel={(entry) => entry.name}
            empty="This folder is empty."
            leadingRows={
              path !== '/' ? (
                <tr aria-label="Parent folder">
                  <td colSpan={4}>
                    <button type="button" className="link-like" onClick={() => openFolder(parentPath(path))}>
                      ↑ Up one folder
                    </button>
                  </td>
                </tr>
              ) : null
            }
            columns={[
              {
                header: 'Name',
                cell: (entry) => (
                  <EntryName
                    entry={entry}
                    onOpen={() =>
                      entry.type === 'directory' ? openFolder(joinPath(path, entry.name)) : setShown(joinPath(path, entry.name))
                    }
                  />
                ),
              },
              {
                header: 'Size',
                className: 'numeric',
                cell: (entry) => (entry.type === 'directory' ? '–' : formatBytes(entry.size)),
              },
              { header: 'Modified', cell: (entry) => new Date(entry.modified * 1000).toLocaleString() },
              {
                header: 'Permissions',
                className: 'mono',
                cell: (entry) => (
                  <>
                    {entry.permissions} {entry.uid}:{entry.gid}
                  </>
                ),
              },
            ]}
          />
          {files.data.truncated ? <p className="muted">This folder has more entries than are shown here.</p> : null}
        </div>
      ) : null}
      {shown ? <FilePreview volume={volume} path={shown} /> : null}
    </section>
  );
}
