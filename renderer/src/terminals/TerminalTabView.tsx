import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import type { BerthClient } from '../../../app/contract/client';
import { BerthApiError } from '../../../app/contract/errors';
import type { TerminalFrame, TerminalSessionInfo } from '../../../app/contract/terminal-contract';
import { useApi } from '../api/api-context';
import { useTerminalStore, type TerminalTab } from './terminal-store';
import { TerminalSearchBar } from './TerminalSearchBar';
import { TerminalWriter } from './terminal-writer';
import { currentTheme, onThemeChange } from './terminal-theme';

type Status =
  | { kind: 'opening' }
  | { kind: 'open'; command: string; note: string | null }
  | { kind: 'ended'; reason: string; note: string | null }
  | { kind: 'failed'; text: string; code: string };

const IS_MAC = /Mac|iPhone|iPad/.test(navigator.platform);
const COMMAND_KEY = IS_MAC ? 'Meta' : 'Control';

/** Ctrl/Cmd with +, = (the + key without Shift), − or 0: a zoom step, else null. */
function zoomStepFor(event: KeyboardEvent): number | 'reset' | null {
  if (event.key === '+' || (event.key === '=' && !event.shiftKey)) return 1;
  if (event.key === '-' && !event.shiftKey) return -1;
  if (event.key === '0' && !event.shiftKey) return 'reset';
  return null;
}

/** Opens in flight per tab, so a re-run effect (StrictMode, a quick re-render) never opens twice. */
const opening = new Map<string, Promise<TerminalSessionInfo>>();

function openOnce(api: BerthClient, tab: TerminalTab, size: { cols: number; rows: number }) {
  let pending = opening.get(tab.key);
  if (!pending) {
    pending = api.terminal.open({ ...tab.request, ...size });
    opening.set(tab.key, pending);
    const forget = () => opening.delete(tab.key);
    pending.then(forget, forget);
  }
  return pending;
}

/**
 * One tab's terminal. The session lives in the app: unmounting (another tab, another view, a reload)
 * only detaches, and attaching again replays the scrollback the app kept. Closing the tab ends it.
 */
export function TerminalTabView({ tab }: { tab: TerminalTab }) {
  const api = useApi();
  const host = useRef<HTMLDivElement>(null);
  const xterm = useRef<{ terminal: Terminal; fit: FitAddon; search: SearchAddon; writer: TerminalWriter } | null>(null);
  const [status, setStatus] = useState<Status>({ kind: 'opening' });
  const [searching, setSearching] = useState(false);
  const fontSize = useTerminalStore((state) => state.terminalFontSize);
  const zoom = useTerminalStore((state) => state.zoomTerminal);
  const setSession = useTerminalStore((state) => state.setTerminalSession);
  const setRequest = useTerminalStore((state) => state.setTerminalRequest);
  /** replaying: the scrollback is being written back; what xterm says then is not typed by anyone. */
  const session = useRef<{ id: string | null; running: boolean; replaying: boolean }>({
    id: null,
    running: false,
    replaying: false,
  });

  // The terminal itself: created once per mounted tab, disposed with it.
  useEffect(() => {
    const element = host.current!;
    const terminal = new Terminal({
      cursorBlink: false, // a blinking cursor repaints twice a second and costs keystroke latency
      fontSize: useTerminalStore.getState().terminalFontSize,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      scrollback: 10_000,
      theme: currentTheme(),
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    terminal.loadAddon(fit);
    terminal.loadAddon(search);
    terminal.loadAddon(new WebLinksAddon((_event, uri) => window.open(uri, '_blank', 'noopener,noreferrer')));
    terminal.open(element);
    fit.fit();
    xterm.current = { terminal, fit, search, writer: new TerminalWriter(terminal) };

    // Platform shortcuts that belong to the app, not the shell.
    terminal.attachCustomKeyEventHandler((event) => {
      if (event.type !== 'keydown') return true;
      const command = IS_MAC ? event.metaKey : event.ctrlKey;
      if (command && event.shiftKey && event.code === 'KeyF') {
        event.preventDefault();
        setSearching(true);
        return false;
      }
      if (!IS_MAC && event.ctrlKey && event.shiftKey && event.code === 'KeyC') {
        event.preventDefault();
        if (terminal.hasSelection()) void navigator.clipboard?.writeText(terminal.getSelection()).catch(() => undefined);
        return false;
      }
      const zoomStep = command && !event.altKey ? zoomStepFor(event) : null;
      if (zoomStep !== null) {
        event.preventDefault();
        zoom(zoomStep);
        return false;
      }
      // Ctrl-Shift-V (and Cmd-V) paste through the browser's own paste event, which xterm handles.
      return true;
    });
    // Everything the terminal emits goes to the shell: keys, pastes, and its replies to queries, except
    // its replies to the queries in replayed scrollback (a prompt's cursor-position request, say): the
    // program asked those long ago, and an answer now would arrive as input to whatever runs now.
    const onData = terminal.onData((data) => {
      const { id, running, replaying } = session.current;
      if (id && running && !replaying) void api.terminal.input({ sessionId: id, data }).catch(() => undefined);
    });
    const onResize = terminal.onResize(({ cols, rows }) => {
      const { id, running } = session.current;
      if (id && running && cols > 0 && rows > 0) void api.terminal.resize({ sessionId: id, cols, rows }).catch(() => undefined);
    });
    const stopTheme = onThemeChange((theme) => (terminal.options.theme = theme));
    const observer = new ResizeObserver(() => {
      if (element.clientWidth > 0 && element.clientHeight > 0) fit.fit();
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      stopTheme();
      onData.dispose();
      onResize.dispose();
      xterm.current?.writer.dispose();
      xterm.current = null;
      terminal.dispose();
    };
  }, [api, zoom]);

  useEffect(() => {
    const current = xterm.current;
    if (!current || current.terminal.options.fontSize === fontSize) return;
    current.terminal.options.fontSize = fontSize;
    current.fit.fit();
  }, [fontSize]);

  // The session: open it if the tab has none yet, then attach (scrollback, live output, the end).
  useEffect(() => {
    const { terminal, fit, writer } = xterm.current!;
    const element = host.current!;
    let active = true;
    if (!tab.sessionId) {
      openOnce(api, tab, { cols: Math.max(terminal.cols, 1), rows: Math.max(terminal.rows, 1) }).then(
        (info) => {
          const stillOpen = useTerminalStore.getState().terminalTabs.some((candidate) => candidate.key === tab.key);
          if (stillOpen) setSession(tab.key, info.id, info.title);
          else void api.terminal.close({ sessionId: info.id }).catch(() => undefined);
        },
        (error: unknown) => {
          if (!active) return;
          const code = error instanceof BerthApiError ? error.code : 'internal';
          setStatus({ kind: 'failed', text: error instanceof Error ? error.message : String(error), code });
        },
      );
      return () => {
        active = false;
      };
    }
    const sessionId = tab.sessionId;
    session.current = { id: sessionId, running: false, replaying: false };
    const subscription = api.terminal.attach(
      { sessionId },
      {
        next: (frame: TerminalFrame) => {
          switch (frame.kind) {
            case 'snapshot': {
              const { session: info } = frame;
              session.current.running = info.state === 'running';
              setStatus(
                info.state === 'running'
                  ? { kind: 'open', command: info.command, note: info.note }
                  : { kind: 'ended', reason: info.endReason ?? 'This session ended.', note: info.note },
              );
              if (info.state === 'running') {
                fit.fit();
                void api.terminal
                  .resize({ sessionId, cols: Math.max(terminal.cols, 1), rows: Math.max(terminal.rows, 1) })
                  .catch(() => undefined);
                terminal.focus();
              }
              session.current.replaying = true;
              return write(frame.data, () => (session.current.replaying = false));
            }
            case 'output':
              return write(frame.data);
            case 'ended':
              session.current.running = false;
              setStatus({ kind: 'ended', reason: frame.session.endReason ?? 'This session ended.', note: frame.session.note });
              return;
          }
        },
        error: (error) => setStatus({ kind: 'ended', reason: error.message, note: null }),
      },
    );
    // Resolving after xterm has parsed a frame is the backpressure: the app waits for the ack.
    // `parsed` runs in the same task as the parse, before any key event that waited for it.
    function write(data: Uint8Array, parsed?: () => void): Promise<void> | void {
      if (data.length === 0) return parsed?.();
      return new Promise<void>((resolve) =>
        writer.write(data, () => {
          parsed?.();
          // Lets the benchmarks (and anyone curious) see when output is in the buffer.
          element.dispatchEvent(new Event('berth:terminal-output'));
          resolve();
        }),
      );
    }
    return () => {
      active = false;
      session.current = { id: null, running: false, replaying: false };
      subscription.dispose();
    };
    // tab as a whole would re-attach on a title change; the request (a new one means open again) and the id suffice.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, tab.key, tab.sessionId, tab.request, setSession]);

  const reconnect = () => {
    if (tab.sessionId) void api.terminal.close({ sessionId: tab.sessionId }).catch(() => undefined);
    xterm.current?.terminal.write('\r\n\x1b[2m--- reconnecting: a new shell ---\x1b[0m\r\n');
    setStatus({ kind: 'opening' });
    setRequest(tab.key, tab.request);
  };

  return (
    <div className="terminal-tab-view">
      <div className="terminal-toolbar">
        <p className="terminal-status" role="status" aria-label={`Session ${tab.title}`}>
          {status.kind === 'opening' && (tab.request.mode === 'debug' ? 'Starting a debug shell…' : 'Opening a shell…')}
          {status.kind === 'open' && `Connected: ${status.command}`}
          {status.kind === 'ended' && `Session ended. ${status.reason}`}
        </p>
        {status.kind === 'ended' ? (
          <button type="button" onClick={reconnect}>
            Reconnect
          </button>
        ) : null}
        <button type="button" onClick={() => setSearching((open) => !open)} aria-keyshortcuts={`${COMMAND_KEY}+Shift+F`}>
          Search
        </button>
        <button type="button" onClick={() => zoom(-1)} aria-label="Smaller text" aria-keyshortcuts={`${COMMAND_KEY}+Minus`}>
          A−
        </button>
        <output className="terminal-font-size" aria-label="Text size" title={`${COMMAND_KEY}+0 resets`}>
          {fontSize} px
        </output>
        <button type="button" onClick={() => zoom(1)} aria-label="Larger text" aria-keyshortcuts={`${COMMAND_KEY}+Equal`}>
          A+
        </button>
      </div>
      {(status.kind === 'open' || status.kind === 'ended') && status.note ? <p className="terminal-note">{status.note}</p> : null}
      {status.kind === 'failed' ? (
        <div role="alert" className="problem">
          {status.text}
          {status.code === 'no-shell' ? (
            <button
              type="button"
              onClick={() => {
                setStatus({ kind: 'opening' });
                setRequest(tab.key, { ...tab.request, mode: 'debug' });
              }}
            >
              Open a debug shell
            </button>
          ) : null}
        </div>
      ) : null}
      {searching ? (
        <TerminalSearchBar
          search={() => xterm.current?.search}
          onClose={() => {
            setSearching(false);
            xterm.current?.terminal.focus();
          }}
        />
      ) : null}
      <div
        ref={host}
        className="terminal-host"
        role="region"
        aria-label={`Terminal for ${tab.containerName}`}
        // Every repaint replaces the terminal's rows: containment keeps that layout and paint work inside it.
        style={{ contain: 'strict' }}
      />
    </div>
  );
}
