/** The terminal panel's UI state: its tabs, the active one, the font size. Sessions live in the app. */
import { create } from 'zustand';
import type { TerminalRequest } from '../../../app/contract/terminal-contract';

export interface TerminalTarget {
  containerId: string;
  containerName: string;
}

/** A tab in the terminal panel. Its session lives in the app; the tab only knows its id. */
export interface TerminalTab {
  key: string;
  containerName: string;
  request: TerminalRequest;
  /** Null until the session is open (or while it is reopened by Reconnect). */
  sessionId: string | null;
  title: string;
}

export const TERMINAL_FONT_SIZES = { min: 8, max: 32, initial: 13 } as const;

interface TerminalState {
  terminalTabs: TerminalTab[];
  activeTerminal: string | null;
  terminalFontSize: number;
  // Arrow-typed so components can take them out of the store unbound.
  /** Opens a new tab with a default shell in the container (the row's "Terminal" button). */
  openTerminal: (target: TerminalTarget) => void;
  openTerminalTab: (containerName: string, request: TerminalRequest) => void;
  /** Tabs for sessions the app already holds (after a reload); known ones are left alone. */
  restoreTerminalTabs: (sessions: Array<{ id: string; containerName: string; title: string; request: TerminalRequest }>) => void;
  setTerminalSession: (key: string, sessionId: string | null, title?: string) => void;
  setTerminalRequest: (key: string, request: TerminalRequest) => void;
  closeTerminalTab: (key: string) => void;
  activateTerminal: (key: string) => void;
  /** Next (+1) or previous (-1) tab, wrapping around. */
  cycleTerminal: (step: 1 | -1) => void;
  zoomTerminal: (delta: number | 'reset') => void;
}

let nextTabKey = 1;

const newTab = (
  containerName: string,
  request: TerminalRequest,
  sessionId: string | null = null,
  title?: string,
): TerminalTab => ({
  key: `tab-${nextTabKey++}`,
  containerName,
  request,
  sessionId,
  title: title ?? `${containerName}: opening…`,
});

export const useTerminalStore = create<TerminalState>((set) => ({
  terminalTabs: [],
  activeTerminal: null,
  terminalFontSize: TERMINAL_FONT_SIZES.initial,
  openTerminal: ({ containerId, containerName }) =>
    set((state) => {
      const tab = newTab(containerName, { containerId, mode: 'shell' });
      return { terminalTabs: [...state.terminalTabs, tab], activeTerminal: tab.key };
    }),
  openTerminalTab: (containerName, request) =>
    set((state) => {
      const tab = newTab(containerName, request);
      return { terminalTabs: [...state.terminalTabs, tab], activeTerminal: tab.key };
    }),
  restoreTerminalTabs: (sessions) =>
    set((state) => {
      const known = new Set(state.terminalTabs.map((tab) => tab.sessionId));
      const added = sessions
        .filter((session) => !known.has(session.id))
        .map((session) => newTab(session.containerName, session.request, session.id, session.title));
      if (added.length === 0) return {};
      return { terminalTabs: [...state.terminalTabs, ...added], activeTerminal: state.activeTerminal ?? added[0]!.key };
    }),
  setTerminalSession: (key, sessionId, title) =>
    set((state) => ({
      terminalTabs: state.terminalTabs.map((tab) => (tab.key === key ? { ...tab, sessionId, title: title ?? tab.title } : tab)),
    })),
  setTerminalRequest: (key, request) =>
    set((state) => ({
      terminalTabs: state.terminalTabs.map((tab) => (tab.key === key ? { ...tab, request, sessionId: null } : tab)),
    })),
  closeTerminalTab: (key) =>
    set((state) => {
      const index = state.terminalTabs.findIndex((tab) => tab.key === key);
      const terminalTabs = state.terminalTabs.filter((tab) => tab.key !== key);
      const activeTerminal =
        state.activeTerminal === key
          ? (terminalTabs[Math.min(index, terminalTabs.length - 1)]?.key ?? null)
          : state.activeTerminal;
      return { terminalTabs, activeTerminal };
    }),
  activateTerminal: (activeTerminal) => set({ activeTerminal }),
  cycleTerminal: (step) =>
    set((state) => {
      const count = state.terminalTabs.length;
      if (count === 0) return {};
      const index = state.terminalTabs.findIndex((tab) => tab.key === state.activeTerminal);
      return { activeTerminal: state.terminalTabs[(index + step + count) % count]!.key };
    }),
  zoomTerminal: (delta) =>
    set((state) => ({
      terminalFontSize:
        delta === 'reset'
          ? TERMINAL_FONT_SIZES.initial
          : Math.min(TERMINAL_FONT_SIZES.max, Math.max(TERMINAL_FONT_SIZES.min, state.terminalFontSize + delta)),
    })),
}));
