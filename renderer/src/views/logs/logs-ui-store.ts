/**
 * UI state of the logs explorer: the scope (a container or a compose project), lines per container,
 * and how lines are shown. Kept while the person visits other views, so coming back finds the same logs.
 */
import { create } from 'zustand';

export const TAIL_CHOICES = [1_000, 5_000, 10_000, 50_000, 100_000] as const;

interface LogsUiState {
  /** A container's name, or null for every container. */
  container: string | null;
  /** A compose project, or null for every container. */
  project: string | null;
  /** Lines per container read when the logs open. */
  tail: number;
  regex: boolean;
  showTimes: boolean;
  setContainer: (container: string | null) => void;
  setProject: (project: string | null) => void;
  setTail: (tail: number) => void;
  setRegex: (regex: boolean) => void;
  setShowTimes: (showTimes: boolean) => void;
}

export const useLogsUi = create<LogsUiState>((set) => ({
  container: null,
  project: null,
  tail: 5_000,
  regex: true,
  showTimes: false,
  // One scope at a time: a container of another project would show nothing, so choosing one clears the other.
  setContainer: (container) => set({ container, project: null }),
  setProject: (project) => set({ project, container: null }),
  setTail: (tail) => set({ tail }),
  setRegex: (regex) => set({ regex }),
  setShowTimes: (showTimes) => set({ showTimes }),
}));
