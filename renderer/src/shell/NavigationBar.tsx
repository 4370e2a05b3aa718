import { useNavigation } from '../navigation';
import { usePaletteStore } from '../palette';

const isMac = /Mac|iPhone|iPad/.test(navigator.platform);

/** The header above every view: Back and Forward through Berth's places, and the command palette. */
export function NavigationBar() {
  const canGoBack = useNavigation((state) => state.index > 0);
  const canGoForward = useNavigation((state) => state.index < state.top);
  const back = useNavigation((state) => state.back);
  const forward = useNavigation((state) => state.forward);
  const openPalette = usePaletteStore((state) => state.openPalette);
  return (
    <div className="navigation-bar" role="toolbar" aria-label="Navigation">
      <button type="button" aria-label="Back" title={isMac ? 'Back (⌘[)' : 'Back (Alt+←)'} disabled={!canGoBack} onClick={back}>
        ←
      </button>
      <button
        type="button"
        aria-label="Forward"
        title={isMac ? 'Forward (⌘])' : 'Forward (Alt+→)'}
        disabled={!canGoForward}
        onClick={forward}
      >
        →
      </button>
      <button
        type="button"
        className="palette-button"
        aria-label="Command palette"
        aria-keyshortcuts={isMac ? 'Meta+K' : 'Control+K'}
        onClick={openPalette}
      >
        <span>Command palette</span>
        <kbd>{isMac ? '⌘K' : 'Ctrl K'}</kbd>
      </button>
    </div>
  );
}
