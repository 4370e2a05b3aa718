import { useEffect, useState } from 'react';
import { useApi } from '../api/api-context';
import { useTerminalStore } from './terminal-store';
import { TerminalLauncher } from './TerminalLauncher';
import { TerminalTabView } from './TerminalTabView';
import './terminals.css';

/**
 * The terminal panel: one tab per session, across containers. Only the active tab has an xterm; the
 * others' sessions keep running in the app and replay their scrollback when shown again.
 *
 * Shortcuts use Alt-Shift, because a browser keeps Ctrl-T, Ctrl-W and Ctrl-Tab for itself:
 * Alt-Shift-T new tab (same container), Alt-Shift-W close tab, Alt-Shift-←/→ previous/next, Alt-1…9.
 */
export function TerminalPanel() {
  const api = useApi();
  const tabs = useTerminalStore((state) => state.terminalTabs);
  const activeKey = useTerminalStore((state) => state.activeTerminal);
  const activate = useTerminalStore((state) => state.activateTerminal);
  const closeTab = useTerminalStore((state) => state.closeTerminalTab);
  const cycle = useTerminalStore((state) => state.cycleTerminal);
  const openTab = useTerminalStore((state) => state.openTerminalTab);
  const [launching, setLaunching] = useState(false);
  const active = tabs.find((tab) => tab.key === activeKey) ?? tabs[0];

  const close = (key: string) => {
    const tab = useTerminalStore.getState().terminalTabs.find((candidate) => candidate.key === key);
    if (tab?.sessionId) void api.terminal.close({ sessionId: tab.sessionId }).catch(() => undefined);
    closeTab(key);
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const state = useTerminalStore.getState();
      const current = state.terminalTabs.find((tab) => tab.key === state.activeTerminal);
      let handled = true;
      if (event.shiftKey && event.code === 'KeyT' && current)
        state.openTerminalTab(current.containerName, { ...current.request });
      else if (event.shiftKey && event.code === 'KeyW' && current) close(current.key);
      else if (event.shiftKey && event.code === 'ArrowRight') state.cycleTerminal(1);
      else if (event.shiftKey && event.code === 'ArrowLeft') state.cycleTerminal(-1);
      else if (!event.shiftKey && /^Digit[1-9]$/.test(event.code)) {
        const tab = state.terminalTabs[Number(event.code.slice(5)) - 1];
        if (tab) state.activateTerminal(tab.key);
      } else handled = false;
      // Taken here, before the terminal sees it: a shortcut must not also reach the shell (as Esc-1, …).
      if (handled) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
    // close only reads the store and the api
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api]);

  if (!active) return null;
  return (
    <section className="terminal-panel" aria-label="Terminals">
      <header className="terminal-header">
        <div role="tablist" aria-label="Terminal tabs" className="terminal-tabs">
          {tabs.map((tab, index) => (
            <span key={tab.key} className="terminal-tab" data-active={tab.key === active.key || undefined}>
              <button
                type="button"
                role="tab"
                aria-selected={tab.key === active.key}
                aria-keyshortcuts={index < 9 ? `Alt+${index + 1}` : undefined}
                onClick={() => activate(tab.key)}
              >
                {tab.title}
              </button>
              <button
                type="button"
                aria-label={`Close terminal ${tab.title}`}
                aria-keyshortcuts="Alt+Shift+W"
                onClick={() => close(tab.key)}
              >
                ×
              </button>
            </span>
          ))}
        </div>
        <span className="terminal-actions">
          <button
            type="button"
            aria-label="Duplicate terminal"
            aria-keyshortcuts="Alt+Shift+T"
            title="Another terminal like this one (Alt-Shift-T)"
            onClick={() => openTab(active.containerName, { ...active.request })}
          >
            +
          </button>
          <button type="button" onClick={() => setLaunching((open) => !open)} aria-expanded={launching}>
            New terminal…
          </button>
          <button type="button" aria-label="Previous terminal" aria-keyshortcuts="Alt+Shift+ArrowLeft" onClick={() => cycle(-1)}>
            ‹
          </button>
          <button type="button" aria-label="Next terminal" aria-keyshortcuts="Alt+Shift+ArrowRight" onClick={() => cycle(1)}>
            ›
          </button>
        </span>
      </header>
      {launching ? <TerminalLauncher initialContainer={active.containerName} onDone={() => setLaunching(false)} /> : null}
      <div role="tabpanel" aria-label={active.title} className="terminal-tabpanel">
        <TerminalTabView key={active.key} tab={active} />
      </div>
    </section>
  );
}
