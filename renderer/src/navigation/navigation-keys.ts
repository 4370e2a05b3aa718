/**
 * Which keys and mouse buttons navigate: Alt-←/→ (and Cmd-[ / Cmd-] on a Mac) for Back and Forward,
 * the mouse's back and forward buttons, Ctrl-K (Cmd-K on a Mac) for the command palette. Pure, so the
 * rules are tested without a browser; the shell listens and acts.
 */
export type NavigationKey = 'back' | 'forward' | 'palette';

export interface KeyLike {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  /** Set by whoever handled the key already (a terminal, a text field's own Alt-← on a Mac). */
  defaultPrevented: boolean;
}

export function navigationKeyOf(event: KeyLike, options: { mac: boolean; inTextField: boolean }): NavigationKey | null {
  if (event.defaultPrevented) return null;
  const command = options.mac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  if (command && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') return 'palette';
  const onlyAlt = event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey;
  // On a Mac, Alt-← moves by a word in a text field; Cmd-[ is its Back there.
  if (onlyAlt && !(options.mac && options.inTextField)) {
    if (event.key === 'ArrowLeft') return 'back';
    if (event.key === 'ArrowRight') return 'forward';
  }
  if (options.mac && event.metaKey && !event.altKey && !event.ctrlKey && !event.shiftKey) {
    if (event.key === '[') return 'back';
    if (event.key === ']') return 'forward';
  }
  return null;
}

/** The mouse's back (3) and forward (4) buttons, as MouseEvent.button numbers them. */
export function navigationButtonOf(button: number): NavigationKey | null {
  return button === 3 ? 'back' : button === 4 ? 'forward' : null;
}
