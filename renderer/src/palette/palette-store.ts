/** Whether the command palette is open, and where the focus was when it opened (it goes back there). */
import { create } from 'zustand';

interface PaletteState {
  paletteOpen: boolean;
  /** The element focused when the palette opened; null while closed. */
  returnFocusTo: HTMLElement | null;
  // Arrow-typed so components can take them out of the store unbound.
  openPalette: () => void;
  closePalette: () => void;
}

export const usePaletteStore = create<PaletteState>((set, get) => ({
  paletteOpen: false,
  returnFocusTo: null,
  openPalette: () => {
    if (get().paletteOpen) return;
    const focused = document.activeElement;
    set({ paletteOpen: true, returnFocusTo: focused instanceof HTMLElement ? focused : null });
  },
  closePalette: () => set({ paletteOpen: false }),
}));
