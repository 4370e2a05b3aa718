import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { BuildProgressItem } from '../../../../app/contract/image-contract';
import { useApi } from '../../api/api-context';
import { FormProblem } from '../../components/FormProblem';
import { DialogFooter, ModalDialog } from '../../components/ModalDialog';
import { shortId } from '../../format';
import { appendBuildItem, EMPTY_BUILD_LOG, type BuildLog } from './transfer-task';
import { useStreamTask } from './use-stream-task';
import './images.css';

/**
 * Build from a Dockerfile: the context is a folder on the machine Berth runs on (read by the app, as
 * the docker CLI reads it), the log streams as the engine writes it, and Cancel stops the build.
 */
export function BuildDialog({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const [contextPath, setContextPath] = useState('');
  const [dockerfile, setDockerfile] = useState('Dockerfile');
  const [tag, setTag] = useState('');
  const [noCache, setNoCache] = useState(false);
  const task = useStreamTask<BuildProgressItem, BuildLog>(appendBuildItem, EMPTY_BUILD_LOG);
  const running = task.phase === 'running';
  const logElement = useRef<HTMLPreElement>(null);

  // Follow the log as it grows, as a terminal would.
  useEffect(() => {
    const element = logElement.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [task.state.text]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (running) return;
    task.start(
      (observer) =>
        api.images.build(
          {
            contextPath: contextPath.trim(),
            dockerfile: dockerfile.trim() || undefined,
            tag: tag.trim() || undefined,
            noCache,
          },
          observer,
        ),
      { title: `Building ${tag.trim() || contextPath.trim()}`, view: 'images' },
    );
  };

  return (
    <ModalDialog title="Build an image" onClose={onClose} className="image-dialog wide">
      <form className="stack-form" onSubmit={submit} aria-label="Build image">
        <label>
          <span>Context folder</span>
          <input
            value={contextPath}
            onChange={(event) => setContextPath(event.target.value)}
            placeholder="/home/me/project"
            spellCheck={false}
            readOnly={running}
            required
            autoFocus
          />
        </label>
        <label>
          <span>Dockerfile</span>
          <input
            value={dockerfile}
            onChange={(event) => setDockerfile(event.target.value)}
            spellCheck={false}
            readOnly={running}
          />
        </label>
        <label>
          <span>Tag</span>
          <input
            value={tag}
            onChange={(event) => setTag(event.target.value)}
            placeholder="(untagged)"
            spellCheck={false}
            readOnly={running}
          />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={noCache} onChange={(event) => setNoCache(event.target.checked)} disabled={running} />
          Do not use the cache
        </label>
        {task.phase !== 'idle' ? (
          <pre ref={logElement} className="build-log" role="log" aria-label="Build log" tabIndex={0}>
            {task.state.text}
          </pre>
        ) : null}
        {task.phase === 'failed' && task.error ? <FormProblem>{task.error.message}</FormProblem> : null}
        {task.phase === 'cancelled' ? <p role="status">Build cancelled.</p> : null}
        {task.phase === 'done' && task.state.imageId ? (
          <p role="status">
            Built {shortId(task.state.imageId)}
            {task.state.tags.length > 0 ? ` as ${task.state.tags.join(', ')}` : ''}.
          </p>
        ) : null}
        <DialogFooter
          dismissLabel="Close"
          onDismiss={onClose}
          submit={{ label: 'Build' }}
          cancelTask={running ? { label: 'Cancel build', onCancel: task.cancel } : null}
        />
      </form>
    </ModalDialog>
  );
}
