import { useState } from 'react';
import type { ContainerSummary } from '../../../../engine/core/engine-types';
import { useApi } from '../../api/api-context';
import { FormDialog } from '../../components/FormDialog';
import { useNoticeStore } from '../../components/notice-store';

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
  const notify = useNoticeStore((state) => state.notify);
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
