/**
 * Errors and confirmations from actions. Every view writes here and the shell's Notices shows them,
 * so the store sits with the shared components rather than in the shell the views must not import.
 */
import { create } from 'zustand';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

interface NoticeState {
  notices: Notice[];
  // Arrow-typed so components can take them out of the store unbound.
  notify: (kind: Notice['kind'], text: string) => void;
  dismissNotice: (id: number) => void;
}

let nextNoticeId = 1;

export const useNoticeStore = create<NoticeState>((set) => ({
  notices: [],
  // The last five are enough: older ones were read or are stale.
  notify: (kind, text) => set((state) => ({ notices: [...state.notices.slice(-4), { id: nextNoticeId++, kind, text }] })),
  dismissNotice: (id) => set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) })),
}));
