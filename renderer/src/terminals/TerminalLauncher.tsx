import { useState, type FormEvent } from 'react';
import type { TerminalRequest } from '../../../app/contract/terminal-contract';
import { useTerminalStore } from './terminal-store';

const MODES: Array<{ value: TerminalRequest['mode']; label: string }> = [
  { value: 'shell', label: 'New shell' },
  { value: 'attach', label: 'Attach to main process' },
  { value: 'debug', label: 'Debug shell (no shell or stopped)' },
];

/** "New terminal" with choices: container, kind, shell, command, user, working directory. */
export function TerminalLauncher({ initialContainer, onDone }: { initialContainer: string; onDone: () => void }) {
  const openTab = useTerminalStore((state) => state.openTerminalTab);
  const [container, setContainer] = useState(initialContainer);
  const [mode, setMode] = useState<TerminalRequest['mode']>('shell');
  const [shell, setShell] = useState('');
  const [command, setCommand] = useState('');
  const [user, setUser] = useState('');
  const [workdir, setWorkdir] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const name = container.trim();
    if (!name) return;
    const request: TerminalRequest = { containerId: name, mode };
    if (mode === 'shell') {
      if (shell.trim()) request.shell = shell.trim();
      if (command.trim()) request.command = command.trim();
      if (user.trim()) request.user = user.trim();
      if (workdir.trim()) request.workdir = workdir.trim();
    }
    openTab(name, request);
    onDone();
  };

  return (
    <form className="terminal-launcher" aria-label="New terminal" onSubmit={submit}>
      <label>
        Container
        <input value={container} onChange={(event) => setContainer(event.target.value)} required />
      </label>
      <label>
        Kind
        <select value={mode} onChange={(event) => setMode(event.target.value as TerminalRequest['mode'])}>
          {MODES.map(({ value, label }) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {mode === 'shell' ? (
        <>
          <label>
            Shell
            <input
              value={shell}
              onChange={(event) => setShell(event.target.value)}
              placeholder="/bin/bash, else /bin/sh"
              list="berth-shells"
            />
            <datalist id="berth-shells">
              <option value="/bin/bash" />
              <option value="/bin/sh" />
            </datalist>
          </label>
          <label>
            Command
            <input value={command} onChange={(event) => setCommand(event.target.value)} placeholder="(an interactive shell)" />
          </label>
          <label>
            User
            <input value={user} onChange={(event) => setUser(event.target.value)} placeholder="(the image's)" />
          </label>
          <label>
            Working directory
            <input value={workdir} onChange={(event) => setWorkdir(event.target.value)} placeholder="(the image's)" />
          </label>
        </>
      ) : null}
      <button type="submit">Open</button>
      <button type="button" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}
