/** UI state only (what is selected, typed, open); engine data lives in react-query. */
import { create } from 'zustand';

export type ViewName = 'containers' | 'images' | 'volumes';

export interface TerminalTarget {
  containerId: string;
  containerName: string;
}

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

interface UiState {
  view: ViewName;
  containerFilter: string;
  terminal: TerminalTarget | null;
  notices: Notice[];
  // Arrow-typed so components can take them out of the store unbound.
  showView: (view: ViewName) => void;
  setContainerFilter: (filter: string) => void;
  openTerminal: (target: TerminalTarget) => void;
  closeTerminal: () => void;
  notify: (kind: Notice['kind'], text: string) => void;
  dismissNotice: (id: number) => void;
}

let nextNoticeId = 1;

export const useUiStore = create<UiState>((set) => ({
  view: 'containers',
  containerFilter: '',
  terminal: null,
  notices: [],
  showView: (view) => set({ view }),
  setContainerFilter: (containerFilter) => set({ containerFilter }),
  openTerminal: (terminal) => set({ terminal }),
  closeTerminal: () => set({ terminal: null }),
  notify: (kind, text) => set((state) => ({ notices: [...state.notices.slice(-4), { id: nextNoticeId++, kind, text }] })),
  dismissNotice: (id) => set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) })),
}));
