import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import type { TerminalItem } from '../../../app/contract/contract';
import { useApi } from '../api/api-context';
import { useUiStore, type TerminalTarget } from '../state/ui-store';

type SessionStatus =
  { kind: 'opening' } | { kind: 'open'; shell: string } | { kind: 'ended'; text: string } | { kind: 'failed'; text: string };

/**
 * A shell in a container. The session lives as long as this component: unmounting disposes the
 * subscription, and the app hangs the shell up for real.
 */
function TerminalSessionView({ target }: { target: TerminalTarget }) {
  const api = useApi();
  const host = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<SessionStatus>({ kind: 'opening' });

  useEffect(() => {
    const element = host.current!;
    const terminal = new Terminal({
      cursorBlink: false,
      fontSize: 13,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      scrollback: 5000,
      theme: { background: '#0f1720', foreground: '#d8e1ea' },
    });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.open(element);
    fit.fit();

    let sessionId: string | null = null;
    let pendingInput = '';
    const sendInput = (data: string) => {
      if (!sessionId) {
        pendingInput += data;
        return;
      }
      void api.terminal.input({ sessionId, data }).catch(() => undefined);
    };
    // Everything the terminal emits goes to the shell: keys, pastes, and its own replies to queries
    // such as cursor-position reports (busybox ash asks for one at every prompt).
    const onData = terminal.onData(sendInput);
    const onResize = terminal.onResize(({ cols, rows }) => {
      if (sessionId && cols > 0 && rows > 0) void api.terminal.resize({ sessionId, cols, rows }).catch(() => undefined);
    });

    const subscription = api.terminal.session(
      { containerId: target.containerId, cols: Math.max(terminal.cols, 1), rows: Math.max(terminal.rows, 1) },
      {
        next: (item: TerminalItem) => {
          switch (item.kind) {
            case 'opened':
              sessionId = item.sessionId;
              setStatus({ kind: 'open', shell: item.shell });
              if (pendingInput) sendInput(pendingInput.slice(0));
              pendingInput = '';
              terminal.focus();
              return;
            case 'output':
              // Resolving after xterm has parsed the chunk is the backpressure: the app waits.
              return new Promise<void>((resolve) =>
                terminal.write(item.data, () => {
                  // Lets the keystroke benchmark (and anyone curious) see when output is in the buffer.
                  element.dispatchEvent(new Event('berth:terminal-output'));
                  resolve();
                }),
              );
            case 'exited':
              setStatus({
                kind: 'ended',
                text: `The shell exited${item.exitCode === null ? '' : ` with code ${item.exitCode}`}.`,
              });
              return;
          }
        },
        error: (error) => setStatus({ kind: 'failed', text: error.message }),
      },
    );

    const observer = new ResizeObserver(() => {
      if (element.clientWidth > 0 && element.clientHeight > 0) fit.fit();
    });
    observer.observe(element);

    return () => {
      observer.disconnect();
      subscription.dispose();
      onData.dispose();
      onResize.dispose();
      terminal.dispose();
    };
  }, [api, target.containerId]);

  return (
    <>
      <p className="terminal-status" role="status">
        {status.kind === 'opening' && 'Opening a shell…'}
        {status.kind === 'open' && `Connected: ${status.shell}`}
        {status.kind === 'ended' && status.text}
      </p>
      {status.kind === 'failed' ? (
        <p role="alert" className="problem">
          {status.text}
        </p>
      ) : null}
      <div ref={host} className="terminal-host" role="region" aria-label={`Terminal for ${target.containerName}`} />
    </>
  );
}

export function TerminalPanel() {
  const target = useUiStore((state) => state.terminal);
  const close = useUiStore((state) => state.closeTerminal);
  if (!target) return null;
  return (
    <section className="terminal-panel" aria-labelledby="terminal-title">
      <header className="terminal-header">
        <h2 id="terminal-title">Terminal: {target.containerName}</h2>
        <button type="button" onClick={close} aria-label="Close terminal">
          Close
        </button>
      </header>
      <TerminalSessionView key={target.containerId} target={target} />
    </section>
  );
}
