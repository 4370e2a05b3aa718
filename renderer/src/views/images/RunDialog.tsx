import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { isBerthApiError } from '../../../../app/contract/errors';
import type { RunProgressItem } from '../../../../app/contract/image-contract';
import { useApi } from '../../api/api-context';
import { FormProblem } from '../../components/FormProblem';
import { DialogFooter, ModalDialog } from '../../components/ModalDialog';
import { useTerminalStore } from '../../terminals/terminal-store';
import { emptyRunForm, toRunRequest, type RestartPolicy, type RunForm } from './run-form';
import { PlatformField } from './PlatformField';
import { PortHolderLink } from './PortHolderLink';
import { PortsEditor, VolumesEditor } from './RunRowsEditors';
import { applyRunItem, EMPTY_RUN, type RunState } from './transfer-task';
import { TransferProgressView } from './TransferProgressView';
import { useStreamTask } from './use-stream-task';
import './images.css';

const RESTART_POLICIES: Array<{ value: RestartPolicy; label: string }> = [
  { value: 'no', label: 'Never' },
  { value: 'on-failure', label: 'On failure' },
  { value: 'unless-stopped', label: 'Unless stopped' },
  { value: 'always', label: 'Always' },
];

/** A start that failed after the create: the container is there, stopped; offer to remove it. */
function RemoveCreated({ container }: { container: { id: string; name: string } }) {
  const api = useApi();
  const remove = useMutation({ mutationFn: () => api.containers.remove({ id: container.id, force: true }) });
  if (remove.isSuccess) return <p role="status">Removed container {container.name}.</p>;
  return (
    <>
      <button type="button" className="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
        Remove container {container.name}
      </button>
      {remove.isError ? (
        <FormProblem>{isBerthApiError(remove.error) ? remove.error.message : String(remove.error)}</FormProblem>
      ) : null}
    </>
  );
}

/** `docker run` with a form: pulls the image when absent (with progress), creates, starts. */
export function RunDialog({ initialImage, onClose }: { initialImage: string; onClose: () => void }) {
  const api = useApi();
  const openTerminalTab = useTerminalStore((state) => state.openTerminalTab);
  const [form, setForm] = useState<RunForm>(() => emptyRunForm(initialImage));
  const [problem, setProblem] = useState<string | null>(null);
  const task = useStreamTask<RunProgressItem, RunState>(applyRunItem, EMPTY_RUN);
  const running = task.phase === 'running';
  const set = <K extends keyof RunForm>(key: K, value: RunForm[K]) => setForm((current) => ({ ...current, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (running) return;
    const converted = toRunRequest(form);
    if ('problem' in converted) return setProblem(converted.problem);
    setProblem(null);
    const interactive = form.interactive;
    task.start((observer) =>
      api.images.run(converted.request, {
        ...observer,
        next: (item) => {
          void observer.next(item);
          // -it: the main process's TTY opens in the terminal panel, as `docker run -it` would show it.
          if (item.kind === 'started' && interactive) {
            openTerminalTab(item.name, { containerId: item.containerId, mode: 'attach' });
            onClose();
          }
        },
      }),
    );
  };

  const { container, started, pull } = task.state;
  const failedAfterCreate = task.phase === 'failed' && container !== null && !started;

  return (
    <ModalDialog title="Run a container" onClose={onClose} className="image-dialog wide">
      <form className="stack-form" onSubmit={submit} aria-label="Run container" noValidate>
        <fieldset className="plain" disabled={running}>
          <label>
            <span>Image</span>
            <input
              value={form.image}
              onChange={(event) => set('image', event.target.value)}
              spellCheck={false}
              required
              autoFocus
            />
          </label>
          <PlatformField value={form.platform} onChange={(value) => set('platform', value)} />
          <label>
            <span>Container name</span>
            <input
              value={form.name}
              onChange={(event) => set('name', event.target.value)}
              placeholder="(a generated name)"
              spellCheck={false}
            />
          </label>
          <label>
            <span>Command</span>
            <input
              value={form.command}
              onChange={(event) => set('command', event.target.value)}
              placeholder="(the image's command)"
              spellCheck={false}
            />
          </label>
          <label>
            <span>Environment variables</span>
            <textarea
              value={form.env}
              onChange={(event) => set('env', event.target.value)}
              placeholder={'KEY=value, one per line'}
              rows={3}
              spellCheck={false}
            />
          </label>
        </fieldset>
        <PortsEditor rows={form.ports} onChange={(rows) => set('ports', rows)} disabled={running} />
        <VolumesEditor rows={form.volumes} onChange={(rows) => set('volumes', rows)} disabled={running} />
        <fieldset className="plain inline-options" disabled={running}>
          <label>
            <span>Restart policy</span>
            <select value={form.restart} onChange={(event) => set('restart', event.target.value as RestartPolicy)}>
              {RESTART_POLICIES.map(({ value, label }) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={form.autoRemove} onChange={(event) => set('autoRemove', event.target.checked)} />
            Remove when it exits
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={form.interactive} onChange={(event) => set('interactive', event.target.checked)} />
            Interactive terminal (TTY)
          </label>
        </fieldset>
        {pull ? <TransferProgressView progress={pull} verb="Pulling" /> : null}
        {problem ? <FormProblem>{problem}</FormProblem> : null}
        {task.phase === 'failed' && task.error ? <FormProblem>{task.error.message}</FormProblem> : null}
        {task.phase === 'failed' && task.error?.code === 'in-use' ? (
          <PortHolderLink message={task.error.message} onOpen={onClose} />
        ) : null}
        {failedAfterCreate ? <RemoveCreated container={container} /> : null}
        {task.phase === 'cancelled' ? <p role="status">Run cancelled.</p> : null}
        {started && container ? <p role="status">Container {container.name} is running.</p> : null}
        <DialogFooter
          dismissLabel="Close"
          onDismiss={onClose}
          submit={{ label: 'Run' }}
          cancelTask={running ? { label: 'Cancel', onCancel: task.cancel } : null}
        />
      </form>
    </ModalDialog>
  );
}
