/** The command palette (Ctrl/Cmd-K): every action by name, fuzzy matched. */
export { PaletteHost } from './PaletteHost';
export { usePaletteStore } from './palette-store';
