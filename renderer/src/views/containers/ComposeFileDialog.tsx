/**
 * "Open compose file…": brings a compose project up from a file on this computer (browser mode runs
 * on it; the desktop app also offers its native file chooser), with compose's progress. The project
 * then shows grouped in the list through the engine's events; a failure is compose's own message.
 */
import { useState, type FormEvent } from 'react';
import type { ComposeUpProgress } from '../../../../app/contract/compose-contract';
import { isBerthApiError } from '../../../../app/contract/errors';
import { useApi } from '../../api/api-context';
import { FormProblem } from '../../components/FormProblem';
import { DialogFooter, ModalDialog } from '../../components/ModalDialog';
import { useStreamTask } from '../images/use-stream-task';
import { applyComposeItem, EMPTY_COMPOSE_LOG, type ComposeProgressLog } from './compose-progress-log';

export function ComposeFileDialog({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const [file, setFile] = useState('');
  const [projectName, setProjectName] = useState('');
  const [chooserProblem, setChooserProblem] = useState<string | null>(null);
  const task = useStreamTask<ComposeUpProgress, ComposeProgressLog>(applyComposeItem, EMPTY_COMPOSE_LOG);
  const running = task.phase === 'running';
  // The preload's window.berth: the desktop app, whose main process can show a native open dialog.
  const desktop = 'berth' in window;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (running || !file.trim()) return;
    task.start((observer) => api.compose.up({ file: file.trim(), projectName: projectName.trim() || null }, observer), {
      title: `Compose up ${projectName.trim() || file.trim()}`,
      view: 'containers',
    });
  };

  const choose = () => {
    setChooserProblem(null);
    api.compose.chooseFile({}).then(
      (chosen) => chosen && setFile(chosen),
      (error: unknown) => setChooserProblem(isBerthApiError(error) ? error.message : String(error)),
    );
  };

  const { steps, lines, project } = task.state;
  return (
    <ModalDialog title="Open compose file" onClose={onClose} className="compose-dialog">
      <form className="stack-form" onSubmit={submit} aria-label="Open compose file">
        <label>
          <span>Compose file (a path on this computer)</span>
          <input
            value={file}
            onChange={(event) => setFile(event.target.value)}
            placeholder="/home/me/shop/compose.yaml"
            autoComplete="off"
            spellCheck={false}
            readOnly={running}
            required
            autoFocus
          />
        </label>
        {desktop ? (
          <button type="button" onClick={choose} disabled={running}>
            Choose file…
          </button>
        ) : null}
        {chooserProblem ? <FormProblem>{chooserProblem}</FormProblem> : null}
        <label>
          <span>Project name (optional; else the file&apos;s name: or its folder&apos;s name)</span>
          <input
            value={projectName}
            onChange={(event) => setProjectName(event.target.value)}
            placeholder="shop"
            autoComplete="off"
            spellCheck={false}
            readOnly={running}
          />
        </label>
        {steps.length > 0 || lines.length > 0 ? (
          <div className="compose-progress">
            <ul aria-label="Compose progress">
              {steps.map((step) => (
                <li key={step.key}>
                  {step.key} <strong>{step.status}</strong>
                </li>
              ))}
            </ul>
            {lines.length > 0 ? <pre aria-label="Compose output">{lines.join('\n')}</pre> : null}
          </div>
        ) : null}
        {running ? <p role="status">Bringing the project up…</p> : null}
        {task.phase === 'failed' && task.error ? <FormProblem>{task.error.message}</FormProblem> : null}
        {task.phase === 'cancelled' ? <p role="status">Stopped; what compose had created is kept.</p> : null}
        {task.phase === 'done' ? <p role="status">Project {project} is up.</p> : null}
        <DialogFooter
          dismissLabel="Close"
          onDismiss={onClose}
          submit={{ label: 'Up' }}
          cancelTask={running ? { label: 'Stop compose', onCancel: task.cancel } : null}
        />
      </form>
    </ModalDialog>
  );
}
