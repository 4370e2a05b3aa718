/**
 * UI state of the containers view: the filter, the selection, collapsed compose projects. One store,
 * because they describe the same list. The open detail and its tab are the address (navigation/).
 */
import { create } from 'zustand';

interface ContainerUiState {
  /** The list's filter text (see container-filter.ts). */
  filter: string;
  /** Selected container ids (full ids). */
  selected: ReadonlySet<string>;
  /** Compose projects shown as one collapsed row. */
  collapsed: ReadonlySet<string>;
  setFilter: (filter: string) => void;
  toggleSelected: (id: string) => void;
  /** Selects all of `ids` when any is unselected, else unselects them all. */
  toggleAll: (ids: readonly string[]) => void;
  /** Drops ids that are no longer in the list. */
  keepSelected: (present: ReadonlySet<string>) => void;
  clearSelection: () => void;
  toggleProject: (project: string) => void;
}

export const useContainerUi = create<ContainerUiState>((set) => ({
  filter: '',
  selected: new Set(),
  collapsed: new Set(),
  setFilter: (filter) => set({ filter }),
  toggleSelected: (id) =>
    set((state) => {
      const selected = new Set(state.selected);
      if (!selected.delete(id)) selected.add(id);
      return { selected };
    }),
  toggleAll: (ids) =>
    set((state) => {
      const selected = new Set(state.selected);
      const all = ids.every((id) => selected.has(id));
      for (const id of ids) {
        if (all) selected.delete(id);
        else selected.add(id);
      }
      return { selected };
    }),
  keepSelected: (present) =>
    set((state) => {
      const kept = [...state.selected].filter((id) => present.has(id));
      return kept.length === state.selected.size ? {} : { selected: new Set(kept) };
    }),
  clearSelection: () => set({ selected: new Set() }),
  toggleProject: (project) =>
    set((state) => {
      const collapsed = new Set(state.collapsed);
      if (!collapsed.delete(project)) collapsed.add(project);
      return { collapsed };
    }),
}));
