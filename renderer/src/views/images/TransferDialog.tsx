import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/api-context';
import { FormProblem } from '../../components/FormProblem';
import { DialogFooter, ModalDialog } from '../../components/ModalDialog';
import { useImageTask } from './image-task-store';
import { cancelImageTask, startPull, startPush } from './image-tasks';
import { PlatformField } from './PlatformField';
import { TransferProgressView } from './TransferProgressView';
import './images.css';

interface TransferDialogProps {
  mode: 'pull' | 'push';
  initialReference?: string;
  /** A running or finished task to show again (reopened from the Transfers list). */
  taskId?: number;
  onClose: () => void;
}

/**
 * Pull a reference from its registry, or push a local tag to its registry, with per-layer progress.
 * The transfer lives in the image task store: closing the dialog leaves it running (the Transfers list
 * in the Images view reopens it); Cancel ends it in the engine. The list picks up a pulled image from
 * the engine's events.
 */
export function TransferDialog({ mode, initialReference = '', taskId: shownTask, onClose }: TransferDialogProps) {
  const api = useApi();
  const [taskId, setTaskId] = useState<number | null>(shownTask ?? null);
  const task = useImageTask(taskId);
  const [reference, setReference] = useState(task?.subject ?? initialReference);
  const [platform, setPlatform] = useState('');
  const running = task?.phase === 'running';
  const verb = mode === 'pull' ? 'Pull' : 'Push';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = reference.trim();
    if (!trimmed || running) return;
    setTaskId(mode === 'pull' ? startPull(api, trimmed, platform.trim()) : startPush(api, trimmed));
  };

  return (
    <ModalDialog title={mode === 'pull' ? 'Pull an image' : 'Push an image'} onClose={onClose} className="image-dialog">
      <form className="stack-form" onSubmit={submit} aria-label={`${verb} image`}>
        <label>
          <span>Image reference</span>
          <input
            value={reference}
            onChange={(event) => setReference(event.target.value)}
            placeholder="registry:5000/team/app:1.0"
            autoComplete="off"
            spellCheck={false}
            readOnly={running}
            required
            autoFocus
          />
        </label>
        {mode === 'pull' ? <PlatformField value={platform} onChange={setPlatform} readOnly={running} /> : null}
        {task?.progress ? <TransferProgressView progress={task.progress} verb={mode === 'pull' ? 'Pulling' : 'Pushing'} /> : null}
        {task?.phase === 'failed' && task.error ? <FormProblem>{task.error.message}</FormProblem> : null}
        {task?.phase === 'cancelled' ? <p role="status">{verb} cancelled.</p> : null}
        {task?.phase === 'done' ? (
          <p role="status">
            {mode === 'pull' ? 'Pulled' : 'Pushed'} {task.progress?.reference ?? task.subject}.
          </p>
        ) : null}
        {running ? (
          <p className="muted">Closing this leaves the {mode} running; the Images view lists it under Transfers.</p>
        ) : null}
        <DialogFooter
          dismissLabel="Close"
          onDismiss={onClose}
          submit={{ label: verb }}
          cancelTask={running && task ? { label: `Cancel ${mode}`, onCancel: () => cancelImageTask(task.id) } : null}
        />
      </form>
    </ModalDialog>
  );
}
