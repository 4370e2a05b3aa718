import { describe, expect, it, vi } from 'vitest';
import type { BerthClient, StreamObserver } from '../../../../app/contract/client';
import type { LogBatch, LogPage } from '../../../../app/contract/container-contract';
import { LogFollower, TAIL_LINES, type FrameScheduler } from './log-follower';

const time = (second: number) => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000000000Z`;
const lines = (...seconds: number[]): LogBatch => ({
  streams: 'o'.repeat(seconds.length),
  times: seconds.map(time),
  texts: seconds.map((second) => `line ${second}`),
});

function fakeApi(page?: LogPage) {
  const streams: Array<{ args: unknown; observer: StreamObserver<LogBatch>; dispose: ReturnType<typeof vi.fn> }> = [];
  const logsBefore = vi.fn(async () => page ?? { batch: lines(), reachedStart: true });
  const api = {
    containers: {
      logs: (args: unknown, observer: StreamObserver<LogBatch>) => {
        const dispose = vi.fn();
        streams.push({ args, observer, dispose });
        return { dispose };
      },
      logsBefore,
    },
  } as unknown as BerthClient;
  return { api, streams, logsBefore };
}

/** Frames run when the test says so. */
function manualFrames() {
  const pending: Array<() => void> = [];
  const frames: FrameScheduler = { request: (callback) => pending.push(callback), cancel: () => undefined };
  return { frames, run: () => pending.splice(0).forEach((callback) => callback()) };
}

describe('LogFollower', () => {
  it('asks for the tail, appends batches and tells listeners once a frame', () => {
    const { api, streams } = fakeApi();
    const { frames, run } = manualFrames();
    const follower = new LogFollower(api, 'web', null, frames);
    const listener = vi.fn();
    follower.subscribe(listener);
    follower.start();
    expect(streams[0]!.args).toEqual({ id: 'web', tail: TAIL_LINES, since: null, follow: true });
    void streams[0]!.observer.next(lines(1, 2));
    void streams[0]!.observer.next(lines(3));
    const beforeFrame = listener.mock.calls.length;
    run();
    expect(listener.mock.calls.length).toBe(beforeFrame + 1);
    expect(follower.getSnapshot()).toMatchObject({ status: 'live', version: follower.buffer.version });
    expect(follower.buffer.length).toBe(3);
  });

  it('resumes after the container ran again, without repeating what it has', () => {
    const { api, streams } = fakeApi();
    const follower = new LogFollower(api, 'web', null, manualFrames().frames);
    follower.start();
    void streams[0]!.observer.next(lines(1, 2, 2));
    streams[0]!.observer.complete?.();
    expect(follower.getSnapshot().status).toBe('ended');
    follower.resumeIfEnded();
    expect(streams[1]!.args).toMatchObject({ since: Date.parse(time(2)) / 1000, follow: true });
    void streams[1]!.observer.next(lines(1, 2, 2, 3));
    expect(follower.buffer.search('line')).toHaveLength(4);
    expect(follower.buffer.line(3).text).toBe('line 3');
  });

  it('loads an older page before its first line and reports the shift for the scroll position', async () => {
    const { api, streams, logsBefore } = fakeApi({ batch: lines(1, 2), reachedStart: true });
    const follower = new LogFollower(api, 'web', 1_700_000_000, manualFrames().frames);
    follower.start();
    void streams[0]!.observer.next(lines(3, 3, 4));
    expect(await follower.loadOlder()).toBe(2);
    expect(logsBefore).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'web', before: { time: time(3), shown: 2 }, since: 1_700_000_000, loaded: 3 }),
    );
    expect(follower.takeFrontChange()).toBe(2);
    expect(follower.takeFrontChange()).toBe(0);
    expect(follower.buffer.reachedStart).toBe(true);
    expect(await follower.loadOlder()).toBe(0); // nothing older
  });

  it('holds back acknowledgements while too many lines wait for a frame', () => {
    const { api, streams } = fakeApi();
    const { frames, run } = manualFrames();
    const follower = new LogFollower(api, 'web', null, frames);
    follower.start();
    const big: LogBatch = {
      streams: 'o'.repeat(100_001),
      times: Array(100_001).fill(time(1)) as string[],
      texts: Array(100_001).fill('x') as string[],
    };
    const held = streams[0]!.observer.next(big);
    expect(held).toBeInstanceOf(Promise);
    run();
    expect(streams[0]!.observer.next(lines(2))).toBeUndefined();
  });

  it('disposes its subscription', () => {
    const { api, streams } = fakeApi();
    const follower = new LogFollower(api, 'web', null, manualFrames().frames);
    follower.start();
    follower.dispose();
    expect(streams[0]!.dispose).toHaveBeenCalled();
  });

  it('goes on after the engine cut the follow off, once it is back; other failures wait for a person', () => {
    const { api, streams } = fakeApi();
    const follower = new LogFollower(api, 'web', null, manualFrames().frames);
    follower.start();
    void streams[0]!.observer.next(lines(1, 2));
    const stopped =
      'The engine stopped while following the log of web. Berth reconnects when it runs again; then the log goes on.';
    streams[0]!.observer.error?.({ code: 'unreachable', message: stopped });
    expect(follower.getSnapshot()).toMatchObject({ status: 'failed', error: stopped });
    follower.resumeAfterEngineLoss();
    expect(streams[1]!.args).toMatchObject({ since: Date.parse(time(2)) / 1000, follow: true });
    expect(follower.getSnapshot()).toMatchObject({ status: 'connecting', error: null });
    void streams[1]!.observer.next(lines(2, 3));
    expect(follower.buffer.search('line')).toHaveLength(3);

    streams[1]!.observer.error?.({ code: 'not-found', message: 'No such container: web' });
    follower.resumeAfterEngineLoss();
    expect(streams).toHaveLength(2);
  });
});
