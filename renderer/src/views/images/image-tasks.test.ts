import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BerthClient, StreamObserver } from '../../../../app/contract/client';
import type { TransferProgressItem } from '../../../../app/contract/image-contract';
import { useNavigation } from '../../navigation';
import { useImageTaskStore } from './image-task-store';
import { cancelImageTask, startBuild, startPull } from './image-tasks';

const shown = vi.hoisted(() => [] as Array<{ title: string; body: string; route: unknown }>);
vi.mock('../../notifications', async (original) => ({
  ...(await original<typeof import('../../notifications')>()),
  showDesktopNotice: (notice: { title: string; body: string; route: unknown }) => shown.push(notice),
}));

/** A client whose pull and build streams the test drives; `disposed` counts cancellations. */
function fakeApi() {
  const observers: Array<StreamObserver<unknown>> = [];
  let disposed = 0;
  const open = (_args: unknown, observer: StreamObserver<unknown>) => {
    observers.push(observer);
    return { dispose: () => void (disposed += 1) };
  };
  const api = { images: { pull: open, build: open } } as unknown as BerthClient;
  return { api, observers, disposed: () => disposed };
}

const onView = (view: 'images' | 'containers') => useNavigation.setState({ route: { kind: 'view', view } });
const task = (id: number) => useImageTaskStore.getState().tasks.find((entry) => entry.id === id);

describe('image tasks', () => {
  beforeEach(() => {
    vi.stubGlobal('document', { visibilityState: 'visible' });
    useImageTaskStore.setState({ tasks: [] });
    shown.length = 0;
  });
  afterEach(() => vi.unstubAllGlobals());

  it('notifies "Pulled …" when a pull ends while the person is on another view, leading to Images', () => {
    const { api, observers } = fakeApi();
    onView('images');
    const id = startPull(api, 'busybox:latest', '');
    void observers[0]!.next({
      reference: 'busybox:latest',
      layers: [],
      overall: { fraction: 0.5, current: 1, total: 2 },
      message: null,
      done: false,
    } satisfies TransferProgressItem);
    expect(task(id)?.progress?.overall.fraction).toBe(0.5);
    onView('containers');
    observers[0]!.complete!();
    expect(task(id)?.phase).toBe('done');
    expect(shown).toEqual([expect.objectContaining({ title: 'Pulled busybox:latest', route: { kind: 'view', view: 'images' } })]);
  });

  it('says a build failed with the reason, and stays quiet for one watched in the Images view', () => {
    const { api, observers } = fakeApi();
    onView('containers');
    startBuild(api, { contextPath: '/src/app', tag: 'app:dev' });
    observers[0]!.error!({ code: 'engine-error', message: 'Dockerfile syntax error: line 2' });
    expect(shown).toEqual([
      expect.objectContaining({ title: 'Build of app:dev failed', body: 'Dockerfile syntax error: line 2' }),
    ]);
    onView('images');
    startPull(api, 'alpine:3', '');
    observers[1]!.complete!();
    expect(shown).toHaveLength(1);
  });

  it('cancels only through cancelImageTask: the stream is disposed once, and no notification follows', () => {
    const { api, disposed } = fakeApi();
    onView('containers');
    const id = startPull(api, 'busybox:latest', '');
    cancelImageTask(id);
    cancelImageTask(id);
    expect(disposed()).toBe(1);
    expect(task(id)?.phase).toBe('cancelled');
    expect(shown).toEqual([]);
  });
});
