import { describe, expect, it } from 'vitest';
import type { BerthClient, StreamObserver } from '../../../../app/contract/client';
import type { ExploreItem } from '../../../../app/contract/logs-contract';
import type { FrameScheduler } from '../containers/log-follower';
import { ExplorerFollower } from './explorer-follower';

/** Frames that run when the test says so. */
function manualFrames(): FrameScheduler & { flush(): void } {
  let callbacks: Array<() => void> = [];
  return {
    request: (callback) => callbacks.push(callback),
    cancel: () => undefined,
    flush() {
      const due = callbacks;
      callbacks = [];
      for (const callback of due) callback();
    },
  };
}

function fakeApi() {
  const opened: Array<{ args: unknown; observer: StreamObserver<ExploreItem>; disposed: boolean }> = [];
  const api = {
    logs: {
      explore: (args: unknown, observer: StreamObserver<ExploreItem>) => {
        const entry = { args, observer, disposed: false };
        opened.push(entry);
        return { dispose: () => (entry.disposed = true) };
      },
    },
  } as unknown as BerthClient;
  return { api, opened };
}

const lines = (source: number, texts: string[]): ExploreItem => ({
  kind: 'lines',
  batch: {
    sources: texts.map(() => source),
    streams: 'o'.repeat(texts.length),
    times: texts.map(() => '2026-12-07T10:00:00Z'),
    texts,
  },
});

describe('ExplorerFollower', () => {
  it('asks for its scope, names and colours the containers, and counts their lines', () => {
    const { api, opened } = fakeApi();
    const frames = manualFrames();
    const follower = new ExplorerFollower(api, { ids: null, project: 'shop' }, 500, frames);
    follower.start();
    expect(opened[0]!.args).toEqual({ ids: null, project: 'shop', tail: 500 });
    const { observer } = opened[0]!;
    void observer.next({ kind: 'source', source: { key: 0, id: 'a1', name: 'web', project: 'shop' } });
    void observer.next({ kind: 'source', source: { key: 1, id: 'b2', name: 'db', project: 'shop' } });
    void observer.next(lines(0, ['one']));
    void observer.next(lines(1, ['two']));
    frames.flush();
    const snapshot = follower.getSnapshot();
    expect(snapshot.status).toBe('history');
    expect([...snapshot.sources.values()].map((source) => source.name)).toEqual(['web', 'db']);
    expect(snapshot.sources.get(0)!.colour).not.toBe(snapshot.sources.get(1)!.colour);
    expect(follower.buffer.length).toBe(2);
    void observer.next({ kind: 'history-read' });
    void observer.next({ kind: 'source-ended', key: 1, reason: 'removed', message: null });
    expect(follower.getSnapshot().status).toBe('live');
    expect(follower.getSnapshot().sources.get(1)!.ended).toBe('removed');
    follower.dispose();
    expect(opened[0]!.disposed).toBe(true);
  });

  it('holds at most its bound of lines: the oldest go, and the view is told to shift', () => {
    const { api, opened } = fakeApi();
    const frames = manualFrames();
    const follower = new ExplorerFollower(api, { ids: null, project: null }, 100, frames, 40_000);
    follower.start();
    for (let round = 0; round < 4; round += 1) {
      void opened[0]!.observer.next(
        lines(
          0,
          Array.from({ length: 16_384 }, (_, index) => `${round}-${index}`),
        ),
      );
    }
    frames.flush();
    expect(follower.buffer.length).toBeLessThanOrEqual(40_000);
    expect(follower.takeFrontChange()).toBeLessThan(0);
    expect(follower.buffer.line(follower.buffer.length - 1).text).toBe('3-16383');
  });

  it('holds back its ack while too many lines wait to be painted (backpressure)', async () => {
    const { api, opened } = fakeApi();
    const frames = manualFrames();
    const follower = new ExplorerFollower(api, { ids: null, project: null }, 100, frames);
    follower.start();
    const first = opened[0]!.observer.next(
      lines(
        0,
        Array.from({ length: 50_000 }, () => 'x'),
      ),
    );
    expect(first).toBeUndefined();
    const held = opened[0]!.observer.next(
      lines(
        0,
        Array.from({ length: 60_000 }, () => 'y'),
      ),
    );
    expect(held).toBeInstanceOf(Promise);
    let released = false;
    void (held as Promise<void>).then(() => (released = true));
    await Promise.resolve();
    expect(released).toBe(false);
    frames.flush();
    await held;
    expect(released).toBe(true);
  });
});
