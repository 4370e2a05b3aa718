import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { isBerthApiError } from '../../../../app/contract/errors';
import type { ContainerSummary } from '../../../../engine/core/engine-types';
import { useApi } from '../../api/api-context';
import { useUiStore } from '../../state/ui-store';

interface FormDialogProps {
  title: string;
  submitLabel: string;
  children: ReactNode;
  /** Resolves when done; a rejection's message is shown in the dialog, which stays open. */
  onSubmit: () => Promise<unknown>;
  onClose: () => void;
  danger?: boolean;
}

/** A modal form: the browser's <dialog> gives focus trapping and Escape; the engine's refusal is shown inside it. */
function FormDialog({ title, submitLabel, children, onSubmit, onClose, danger }: FormDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setPending(true);
          setProblem(null);
          onSubmit().then(
            () => onClose(),
            (error: unknown) => {
              setPending(false);
              setProblem(isBerthApiError(error) ? error.message : String(error));
            },
          );
        }}
      >
        <h2 id={titleId}>{title}</h2>
        <div className="ctr-dialog-fields">{children}</div>
        {problem ? (
          <p role="alert" className="problem">
            {problem}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={danger ? 'danger' : undefined} disabled={pending}>
            {pending ? 'Working…' : submitLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

export type ContainerDialogKind = 'kill' | 'rename' | 'commit';

const SIGNALS = ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

export function KillDialog({ container, onClose }: { container: ContainerSummary; onClose: () => void }) {
  const api = useApi();
  const [signal, setSignal] = useState('SIGKILL');
  return (
    <FormDialog
      title={`Send a signal to ${container.name}`}
      submitLabel="Send"
      danger
      onClose={onClose}
      onSubmit={() => api.containers.kill({ id: container.id, signal })}
    >
      <label>
        Signal
        <input list="berth-signals" value={signal} onChange={(event) => setSignal(event.target.value)} autoFocus />
        <datalist id="berth-signals">
          {SIGNALS.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </label>
      <p className="muted">A name (SIGTERM, HUP, RTMIN+1) or a number from 1 to 64. SIGKILL cannot be caught.</p>
    </FormDialog>
  );
}

export function RenameDialog({ container, onClose }: { container: ContainerSummary; onClose: () => void }) {
  const api = useApi();
  const [name, setName] = useState(container.name);
  return (
    <FormDialog
      title={`Rename ${container.name}`}
      submitLabel="Rename"
      onClose={onClose}
      onSubmit={() => api.containers.rename({ id: container.id, name: name.trim() })}
    >
      <label>
        New name
        <input value={name} onChange={(event) => setName(event.target.value)} autoFocus spellCheck={false} />
      </label>
    </FormDialog>
  );
}

export function CommitDialog({ container, onClose }: { container: ContainerSummary; onClose: () => void }) {
  const api = useApi();
  const notify = useUiStore((state) => state.notify);
  const [reference, setReference] = useState(`${container.name.toLowerCase().replace(/[^a-z0-9._-]/g, '-')}-snapshot:latest`);
  const [message, setMessage] = useState('');
  return (
    <FormDialog
      title={`Commit ${container.name} to an image`}
      submitLabel="Commit"
      onClose={onClose}
      onSubmit={async () => {
        const result = await api.containers.commit({ id: container.id, reference: reference.trim(), message: message || null });
        notify(
          'info',
          `Committed ${container.name} as ${result.reference} (${result.imageId.replace(/^sha256:/, '').slice(0, 12)}).`,
        );
      }}
    >
      <label>
        Image name
        <input value={reference} onChange={(event) => setReference(event.target.value)} autoFocus spellCheck={false} />
      </label>
      <label>
        Message (optional)
        <textarea value={message} onChange={(event) => setMessage(event.target.value)} rows={3} />
      </label>
      <p className="muted">The container is paused while its filesystem is copied. Volumes are not included.</p>
    </FormDialog>
  );
}
