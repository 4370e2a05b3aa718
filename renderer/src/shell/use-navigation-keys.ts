/**
 * The keys and mouse buttons that move: Alt-←/→ (Cmd-[ / Cmd-] on a Mac) and, in Electron, the mouse's
 * back and forward buttons go back and forward; Ctrl-K (Cmd-K) opens the command palette, or closes it. While a
 * dialog is open they leave it alone: a half-filled form is not lost to a thumb on the mouse.
 * A terminal keeps Ctrl-K and Alt-← for its shell (xterm handles them and stops them reaching here).
 */
import { useEffect } from 'react';
import { navigationButtonOf, navigationKeyOf, useNavigation, type NavigationKey } from '../navigation';
import { usePaletteStore } from '../palette';

const isMac = /Mac|iPhone|iPad/.test(navigator.platform);

const dialogOpen = () => document.querySelector('dialog[open]') !== null;

function isTextField(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLTextAreaElement ||
    (target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit'].includes(target.type)) ||
    (target instanceof HTMLElement && target.isContentEditable)
  );
}

function act(key: NavigationKey): void {
  const palette = usePaletteStore.getState();
  if (key === 'palette') {
    if (palette.paletteOpen) palette.closePalette();
    else if (!dialogOpen()) palette.openPalette();
    return;
  }
  if (dialogOpen()) return;
  if (key === 'back') useNavigation.getState().back();
  else useNavigation.getState().forward();
}

export function useNavigationKeys(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const key = navigationKeyOf(event, { mac: isMac, inTextField: isTextField(event.target) });
      if (!key) return;
      event.preventDefault();
      act(key);
    };
    // Electron does not act on the mouse's back and forward buttons; a browser does, through the same
    // history (popstate), and is left to it so that one press is never two steps.
    const onMouseUp = (event: MouseEvent) => {
      const key = navigationButtonOf(event.button);
      if (!key || !window.berth) return;
      event.preventDefault();
      act(key);
    };
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('mouseup', onMouseUp);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('mouseup', onMouseUp);
    };
  }, []);
}
