import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BerthClient, StreamObserver } from '../../../app/contract/client';
import type { EngineEventItem } from '../../../app/contract/contract';
import type { ContainerState, ContainerSummary } from '../../../engine/core/engine-types';
import { containerListKey, containersQuery } from '../views/containers/container-queries';
import { startEngineSync } from './engine-sync';

const summary = (id: string, state: ContainerState): ContainerSummary => ({
  id,
  name: id,
  image: 'busybox',
  imageId: 'sha256:1',
  command: 'true',
  state,
  status: state,
  ports: [],
  created: 1,
  composeProject: null,
  composeService: null,
});

/** An API whose engine events the test sends, and whose list reads it answers. */
function fakeApi(answers: {
  list: () => Promise<ContainerSummary[]>;
  listByIds: (ids: string[]) => Promise<ContainerSummary[]>;
}) {
  let events: StreamObserver<EngineEventItem> | undefined;
  const api = {
    engine: {
      state: () => ({ dispose: () => undefined }),
      events: (_args: unknown, observer: StreamObserver<EngineEventItem>) => {
        events = observer;
        return { dispose: () => undefined };
      },
    },
    containers: { list: () => answers.list(), listByIds: ({ ids }: { ids: string[] }) => answers.listByIds(ids) },
    images: { list: async () => [] },
    volumes: { list: async () => [] },
  } as unknown as BerthClient;
  const send = (item: EngineEventItem) => void events!.next(item);
  const containerEvent = (id: string, action: string) =>
    send({ kind: 'event', event: { type: 'container', action, id, name: id, timeNano: 1 } });
  return { api, send, containerEvent };
}

describe("startEngineSync when the engine's listing lags", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("reads a container again until the engine's listing shows its death, even seconds late", async () => {
    let reads = 0;
    // The listing trails the die event for five reads (about 1.5 s of retries), then catches up.
    const { api, containerEvent } = fakeApi({
      list: async () => [],
      listByIds: async (ids) => ids.map((id) => summary(id, ++reads <= 5 ? 'running' : 'exited')),
    });
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    queryClient.setQueryData(containerListKey, [summary('c1', 'running')]);
    const stop = startEngineSync(api, queryClient);
    containerEvent('c1', 'die');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(queryClient.getQueryData<ContainerSummary[]>(containerListKey)?.[0]?.state).toBe('exited');
    stop();
  });

  it('reads again what changed while a full read of the list was under way (it may have seen the old state)', async () => {
    let answerList: (list: ContainerSummary[]) => void = () => undefined;
    let fullReads = 0;
    const { api, send, containerEvent } = fakeApi({
      list: () => {
        fullReads += 1;
        return fullReads === 1
          ? Promise.resolve([summary('c1', 'running')])
          : new Promise<ContainerSummary[]>((resolve) => (answerList = resolve));
      },
      listByIds: async (ids) => ids.map((id) => summary(id, 'exited')),
    });
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const observer = new QueryObserver(queryClient, containersQuery(api));
    const unsubscribe = observer.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    const stop = startEngineSync(api, queryClient);

    send({ kind: 'overflow', dropped: 3 }); // a full read starts...
    await vi.advanceTimersByTimeAsync(0);
    containerEvent('c1', 'die'); // ...c1 dies, and its own read says so...
    await vi.advanceTimersByTimeAsync(100);
    expect(queryClient.getQueryData<ContainerSummary[]>(containerListKey)?.[0]?.state).toBe('exited');
    answerList([summary('c1', 'running')]); // ...then the full read lands with what it saw before.
    await vi.advanceTimersByTimeAsync(100);

    expect(queryClient.getQueryData<ContainerSummary[]>(containerListKey)?.[0]?.state).toBe('exited');
    stop();
    unsubscribe();
  });
});
