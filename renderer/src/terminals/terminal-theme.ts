/** xterm themes that follow the system's light or dark mode, as the rest of the UI does. */
import type { ITheme } from '@xterm/xterm';

export const DARK_THEME: ITheme = {
  background: '#0f1720',
  foreground: '#d8e1ea',
  cursor: '#d8e1ea',
  selectionBackground: '#2f4a66',
};

export const LIGHT_THEME: ITheme = {
  background: '#ffffff',
  foreground: '#1b2430',
  cursor: '#1b2430',
  selectionBackground: '#b6d4fe',
  black: '#1b2430',
  brightBlack: '#5b6877',
  white: '#8b949e',
  brightWhite: '#b1bac4',
  yellow: '#9a6700',
  brightYellow: '#7d4e00',
};

const DARK_QUERY = '(prefers-color-scheme: dark)';

export function currentTheme(): ITheme {
  return window.matchMedia(DARK_QUERY).matches ? DARK_THEME : LIGHT_THEME;
}

/** Calls back with the new theme when the system switches; returns the unsubscribe. */
export function onThemeChange(listener: (theme: ITheme) => void): () => void {
  const query = window.matchMedia(DARK_QUERY);
  const changed = () => listener(currentTheme());
  query.addEventListener('change', changed);
  return () => query.removeEventListener('change', changed);
}
