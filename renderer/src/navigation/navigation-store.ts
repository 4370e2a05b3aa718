/**
 * Where Berth is (the current route) and the way back and forward, over the browser's own history so
 * the Back and Forward of the browser, the mouse, the keyboard and Berth's header all agree. The
 * address is the truth: navigating pushes an entry, and popstate/hashchange (Back, Forward, a typed
 * address, a reload) set the route from it. Each entry carries its position in Berth's history, so
 * the header knows whether there is a way back or forward (the History API does not say).
 * Dialogs are never entries: they are UI state of the place they open over.
 */
import { create } from 'zustand';
import { HOME, parseHash, routeToHash, sameRoute, type Route } from './route';

/** The slice of window.history and location this store uses; tests pass a fake. */
export interface HistoryPort {
  readonly hash: string;
  readonly state: unknown;
  push(state: EntryState, hash: string): void;
  replace(state: EntryState, hash: string): void;
  go(delta: -1 | 1): void;
  /** Calls back on popstate and hashchange; returns the disposer. */
  listen(onChange: () => void): () => void;
  /** The last entry's position, kept across a reload of this tab (sessionStorage). */
  keptTop: number | null;
}

export interface EntryState {
  berthIndex: number;
}

interface NavigationState {
  route: Route;
  /** This entry's position in Berth's history (0: the first). */
  index: number;
  /** The last entry's position: there is a way forward while index < top. */
  top: number;
  // Arrow-typed so components can take them out of the store unbound.
  /** Goes to a route: a new entry, or with `replace` the current one rewritten (a redirect). */
  navigate: (route: Route, options?: { replace?: boolean }) => void;
  back: () => void;
  forward: () => void;
}

let port: HistoryPort | null = null;

function indexIn(state: unknown): number | null {
  const index = (state as Partial<EntryState> | null)?.berthIndex;
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 ? index : null;
}

export const useNavigation = create<NavigationState>((set, get) => ({
  route: HOME,
  index: 0,
  top: 0,
  navigate: (route, options) => {
    const { route: current, index } = get();
    if (options?.replace) {
      port?.replace({ berthIndex: index }, routeToHash(route));
      set({ route });
      return;
    }
    if (sameRoute(route, current)) return;
    port?.push({ berthIndex: index + 1 }, routeToHash(route));
    if (port) port.keptTop = index + 1;
    set({ route, index: index + 1, top: index + 1 });
  },
  back: () => {
    if (get().index > 0) port?.go(-1);
  },
  forward: () => {
    if (get().index < get().top) port?.go(1);
  },
}));

/**
 * Reads the place from the address (a reload keeps it), then follows the address. `onProblem` gets
 * what was wrong with an address (an unknown page, say) for a note. Returns the disposer.
 */
export function startNavigation(history: HistoryPort, onProblem: (text: string) => void): () => void {
  port = history;
  const follow = (initial: boolean) => {
    const { route, index, top } = useNavigation.getState();
    const stateIndex = indexIn(history.state);
    // popstate and hashchange both come for one change of the address; the second finds it handled.
    if (!initial && stateIndex === index && history.hash === routeToHash(route)) return;
    const parsed = parseHash(history.hash);
    // No position: the first load, or an address typed or followed, for which the browser made an entry.
    const position = stateIndex ?? (initial ? 0 : index + 1);
    // A new entry ends the history (the browser dropped the way forward); a known one keeps it, and
    // after a reload the top is the one this tab kept.
    const newTop = stateIndex === null ? position : Math.max(initial ? (history.keptTop ?? 0) : top, position);
    history.replace({ berthIndex: position }, routeToHash(parsed.route));
    history.keptTop = newTop;
    useNavigation.setState({ route: parsed.route, index: position, top: newTop });
    if (parsed.problem) onProblem(parsed.problem);
  };
  follow(true);
  const stopListening = history.listen(() => follow(false));
  return () => {
    stopListening();
    port = null;
  };
}

/** The browser's history and address, as the port. */
export function windowHistory(): HistoryPort {
  const TOP_KEY = 'berth.history.top';
  return {
    get hash() {
      return window.location.hash;
    },
    get state() {
      return window.history.state as unknown;
    },
    push: (state, hash) => window.history.pushState(state, '', hash),
    replace: (state, hash) => window.history.replaceState(state, '', hash),
    go: (delta) => window.history.go(delta),
    listen: (onChange) => {
      window.addEventListener('popstate', onChange);
      window.addEventListener('hashchange', onChange);
      return () => {
        window.removeEventListener('popstate', onChange);
        window.removeEventListener('hashchange', onChange);
      };
    },
    // Storage a page may be refused (it throws then): without it, Forward after a reload is unknown.
    get keptTop() {
      try {
        const kept = Number(window.sessionStorage.getItem(TOP_KEY));
        return Number.isInteger(kept) && kept > 0 ? kept : null;
      } catch {
        return null;
      }
    },
    set keptTop(top) {
      try {
        window.sessionStorage.setItem(TOP_KEY, String(top ?? 0));
      } catch {
        // see above
      }
    },
  };
}
