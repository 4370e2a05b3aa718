import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useApi } from '../../api/api-context';
import { FormProblem } from '../../components/FormProblem';
import { DialogFooter, ModalDialog } from '../../components/ModalDialog';
import { shortId } from '../../format';
import { useImageTask } from './image-task-store';
import { cancelImageTask, startBuild } from './image-tasks';
import './images.css';

/**
 * Build from a Dockerfile: the context is a folder on the machine Berth runs on (read by the app, as
 * the docker CLI reads it), the log streams as the engine writes it, and Cancel stops the build.
 * Closing the dialog leaves the build running (the Transfers list in the Images view reopens it).
 */
export function BuildDialog({ taskId: shownTask, onClose }: { taskId?: number; onClose: () => void }) {
  const api = useApi();
  const [taskId, setTaskId] = useState<number | null>(shownTask ?? null);
  const task = useImageTask(taskId);
  const [contextPath, setContextPath] = useState('');
  const [dockerfile, setDockerfile] = useState('Dockerfile');
  const [tag, setTag] = useState('');
  const [noCache, setNoCache] = useState(false);
  const running = task?.phase === 'running';
  const log = task?.build ?? null;
  const logElement = useRef<HTMLPreElement>(null);

  // Follow the log as it grows, as a terminal would.
  useEffect(() => {
    const element = logElement.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [log?.text]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (running) return;
    setTaskId(
      startBuild(api, {
        contextPath: contextPath.trim(),
        dockerfile: dockerfile.trim() || undefined,
        tag: tag.trim() || undefined,
        noCache,
      }),
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
        {task ? (
          <pre ref={logElement} className="build-log" role="log" aria-label="Build log" tabIndex={0}>
            {task.build.text}
          </pre>
        ) : null}
        {task?.phase === 'failed' && task.error ? <FormProblem>{task.error.message}</FormProblem> : null}
        {task?.phase === 'cancelled' ? <p role="status">Build cancelled.</p> : null}
        {task?.phase === 'done' && task.build.imageId ? (
          <p role="status">
            Built {shortId(task.build.imageId)}
            {task.build.tags.length > 0 ? ` as ${task.build.tags.join(', ')}` : ''}.
          </p>
        ) : null}
        {running ? (
          <p className="muted">Closing this leaves the build running; the Images view lists it under Transfers.</p>
        ) : null}
        <DialogFooter
          dismissLabel="Close"
          onDismiss={onClose}
          submit={{ label: 'Build' }}
          cancelTask={running && task ? { label: 'Cancel build', onCancel: () => cancelImageTask(task.id) } : null}
        />
      </form>
    </ModalDialog>
  );
}
