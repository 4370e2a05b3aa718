import { describe, expect, it, vi } from 'vitest';
import { DisposableStore, Emitter, toDisposable } from './disposable.js';

describe('toDisposable', () => {
  it('runs the dispose function once, however often it is called', () => {
    const release = vi.fn();
    const disposable = toDisposable(release);
    disposable.dispose();
    disposable.dispose();
    expect(release).toHaveBeenCalledTimes(1);
  });
});

describe('DisposableStore', () => {
  it('disposes everything it holds, newest first', () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => order.push('first')));
    store.add(toDisposable(() => order.push('second')));
    store.dispose();
    expect(order).toEqual(['second', 'first']);
  });

  it('disposes at once what is added after the store was disposed', () => {
    const store = new DisposableStore();
    store.dispose();
    const release = vi.fn();
    store.add(toDisposable(release));
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('forgets a deleted item without disposing it', () => {
    const store = new DisposableStore();
    const release = vi.fn();
    const item = store.add(toDisposable(release));
    store.delete(item);
    store.dispose();
    expect(release).not.toHaveBeenCalled();
  });
});

describe('Emitter', () => {
  it('delivers to listeners until they unsubscribe', () => {
    const emitter = new Emitter<number>();
    const seen: number[] = [];
    const subscription = emitter.event((value) => seen.push(value));
    emitter.fire(1);
    subscription.dispose();
    emitter.fire(2);
    expect(seen).toEqual([1]);
    expect(emitter.listenerCount).toBe(0);
  });

  it('lets a listener unsubscribe another during a fire without skipping anyone', () => {
    const emitter = new Emitter<string>();
    const seen: string[] = [];
    const second = { dispose: () => undefined };
    emitter.event(() => {
      seen.push('a');
      second.dispose();
    });
    Object.assign(
      second,
      emitter.event(() => seen.push('b')),
    );
    emitter.fire('x');
    expect(seen).toEqual(['a', 'b']);
    emitter.fire('y');
    expect(seen).toEqual(['a', 'b', 'a']);
  });
});
