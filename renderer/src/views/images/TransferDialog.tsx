import { useState, type FormEvent } from 'react';
import type { TransferProgressItem } from '../../../../app/contract/image-contract';
import { useApi } from '../../api/api-context';
import { FormProblem } from '../../components/FormProblem';
import { DialogFooter, ModalDialog } from '../../components/ModalDialog';
import { PlatformField } from './PlatformField';
import { keepLatestProgress } from './transfer-task';
import { TransferProgressView } from './TransferProgressView';
import { useStreamTask } from './use-stream-task';
import './images.css';

interface TransferDialogProps {
  mode: 'pull' | 'push';
  initialReference?: string;
  onClose: () => void;
}

/**
 * Pull a reference from its registry, or push a local tag to its registry, with per-layer progress.
 * Cancel ends the transfer in the engine; closing the dialog does too. The list picks up a pulled
 * image from the engine's events.
 */
export function TransferDialog({ mode, initialReference = '', onClose }: TransferDialogProps) {
  const api = useApi();
  const [reference, setReference] = useState(initialReference);
  const [platform, setPlatform] = useState('');
  const task = useStreamTask<TransferProgressItem, TransferProgressItem | null>(keepLatestProgress, null);
  const running = task.phase === 'running';
  const verb = mode === 'pull' ? 'Pull' : 'Push';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = reference.trim();
    if (!trimmed || running) return;
    const wanted = platform.trim();
    task.start(
      (observer) =>
        mode === 'pull'
          ? api.images.pull(wanted ? { reference: trimmed, platform: wanted } : { reference: trimmed }, observer)
          : api.images.push({ reference: trimmed }, observer),
      { title: `${mode === 'pull' ? 'Pulling' : 'Pushing'} ${trimmed}`, view: 'images' },
    );
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
        {task.state ? <TransferProgressView progress={task.state} verb={mode === 'pull' ? 'Pulling' : 'Pushing'} /> : null}
        {task.phase === 'failed' && task.error ? <FormProblem>{task.error.message}</FormProblem> : null}
        {task.phase === 'cancelled' ? <p role="status">{verb} cancelled.</p> : null}
        {task.phase === 'done' ? (
          <p role="status">
            {mode === 'pull' ? 'Pulled' : 'Pushed'} {task.state?.reference ?? reference.trim()}.
          </p>
        ) : null}
        <DialogFooter
          dismissLabel="Close"
          onDismiss={onClose}
          submit={{ label: verb }}
          cancelTask={running ? { label: `Cancel ${mode}`, onCancel: task.cancel } : null}
        />
      </form>
    </ModalDialog>
  );
}
