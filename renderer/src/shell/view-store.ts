/** Which view the shell shows: only the shell reads and sets it (Sidebar, StatusBar's "Show details"). */
import { create } from 'zustand';

export type ViewName = 'containers' | 'images' | 'volumes' | 'engine' | 'networks' | 'disk';

interface ViewState {
  view: ViewName;
  // Arrow-typed so components can take it out of the store unbound.
  showView: (view: ViewName) => void;
}

export const useViewStore = create<ViewState>((set) => ({
  view: 'containers',
  showView: (view) => set({ view }),
}));
