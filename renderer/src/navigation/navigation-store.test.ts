import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startNavigation, useNavigation, type EntryState, type HistoryPort } from './navigation-store';
import { HOME } from './route';

/** A browser's session history in miniature: entries, a position, and popstate on go and on a typed address. */
class FakeBrowserHistory implements HistoryPort {
  entries: Array<{ hash: string; state: unknown }>;
  position = 0;
  keptTop: number | null = null;
  private listeners = new Set<() => void>();

  constructor(hash: string, state: unknown = null) {
    this.entries = [{ hash, state }];
  }
  get hash() {
    return this.entries[this.position]!.hash;
  }
  get state() {
    return this.entries[this.position]!.state;
  }
  push(state: EntryState, hash: string) {
    this.entries = [...this.entries.slice(0, this.position + 1), { hash, state }];
    this.position += 1;
  }
  replace(state: EntryState, hash: string) {
    this.entries[this.position] = { hash, state };
  }
  go(delta: -1 | 1) {
    this.position += delta;
    this.fire();
  }
  /** A person types an address: a new entry with no state, then popstate and hashchange. */
  type(hash: string) {
    this.entries = [...this.entries.slice(0, this.position + 1), { hash, state: null }];
    this.position += 1;
    this.fire();
  }
  listen(onChange: () => void) {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }
  get listening() {
    return this.listeners.size;
  }
  private fire() {
    // The browser sends both events for one change of the fragment.
    for (const listener of [...this.listeners]) listener();
    for (const listener of [...this.listeners]) listener();
  }
}

let stop: (() => void) | null = null;
let problems: string[] = [];
const start = (history: HistoryPort) => (stop = startNavigation(history, (text) => problems.push(text)));
const state = () => useNavigation.getState();

beforeEach(() => {
  problems = [];
  useNavigation.setState({ route: HOME, index: 0, top: 0 });
});
afterEach(() => stop?.());

describe('navigation over the browser history', () => {
  it('starts from the address (a reload keeps the place) and writes the canonical one', () => {
    const history = new FakeBrowserHistory('#/containers/web');
    start(history);
    expect(state().route).toEqual({ kind: 'container', ref: 'web', tab: 'logs' });
    expect(history.entries).toEqual([{ hash: '#/containers/web/logs', state: { berthIndex: 0 } }]);
  });

  it('after a reload deep in the history, still knows the way back and forward', () => {
    const history = new FakeBrowserHistory('#/images', { berthIndex: 2 });
    history.keptTop = 4;
    start(history);
    expect(state()).toMatchObject({ route: { kind: 'view', view: 'images' }, index: 2, top: 4 });
  });

  it('pushes an entry per place, none for the place it is at, and goes back and forward through them', () => {
    const history = new FakeBrowserHistory('');
    start(history);
    state().navigate({ kind: 'view', view: 'images' });
    state().navigate({ kind: 'view', view: 'images' });
    state().navigate({ kind: 'container', ref: 'web', tab: 'stats' });
    expect(history.entries.map((entry) => entry.hash)).toEqual(['#/containers', '#/images', '#/containers/web/stats']);
    expect(state()).toMatchObject({ index: 2, top: 2 });

    state().back();
    expect(state()).toMatchObject({ route: { kind: 'view', view: 'images' }, index: 1, top: 2 });
    state().back();
    state().back(); // at the first entry: Back would leave Berth, so it does nothing
    expect(history.position).toBe(0);
    expect(state()).toMatchObject({ route: HOME, index: 0 });
    state().forward();
    state().forward();
    state().forward(); // at the last entry
    expect(state()).toMatchObject({ route: { kind: 'container', ref: 'web', tab: 'stats' }, index: 2 });
  });

  it('drops the way forward when a new place is visited after going back', () => {
    start(new FakeBrowserHistory('#/containers'));
    state().navigate({ kind: 'view', view: 'images' });
    state().navigate({ kind: 'view', view: 'volumes' });
    state().back();
    state().navigate({ kind: 'view', view: 'disk' });
    expect(state()).toMatchObject({ index: 2, top: 2 });
  });

  it('rewrites the current entry for a redirect, adding none', () => {
    const history = new FakeBrowserHistory('#/containers/gone/logs');
    start(history);
    state().navigate(HOME, { replace: true });
    expect(history.entries).toEqual([{ hash: '#/containers', state: { berthIndex: 0 } }]);
  });

  it('follows a typed address as a new entry, and notes an unknown one once, leading home', () => {
    const history = new FakeBrowserHistory('#/images');
    start(history);
    history.type('#/volumes');
    expect(state()).toMatchObject({ route: { kind: 'view', view: 'volumes' }, index: 1, top: 1 });
    history.type('#/nowhere');
    expect(state()).toMatchObject({ route: HOME, index: 2 });
    expect(history.hash).toBe('#/containers');
    expect(problems).toEqual(['Berth has no page at #/nowhere: showing the containers.']);
    state().back();
    expect(state().route).toEqual({ kind: 'view', view: 'volumes' });
  });

  it('stops listening when disposed', () => {
    const history = new FakeBrowserHistory('');
    const dispose = startNavigation(history, () => undefined);
    expect(history.listening).toBe(1);
    dispose();
    expect(history.listening).toBe(0);
  });
});
