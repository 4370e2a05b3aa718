import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { BerthClient } from '../../../app/contract/client';
import type { EngineEventItem } from '../../../app/contract/contract';
import type { ConnectionState } from '../../../engine/core/connection-state';
import type { ContainerSummary } from '../../../engine/core/engine-types';
import { containersQuery } from '../views/containers/container-queries';
import { startEngineSync } from './engine-sync';

const summary = (id: string, name: string): ContainerSummary =>
  ({ id, name, image: 'busybox', state: 'running', status: 'Up', created: 1, ports: [] }) as unknown as ContainerSummary;

/** An engine whose full listing can be held back, to land after an event's own read. */
function fakeEngine() {
  let names = new Map<string, string>([['c1', 'old']]);
  let heldList: (() => void) | null = null;
  let holdNextList = false;
  let sendEvent: (item: EngineEventItem) => void = () => undefined;
  const read = () => [...names].map(([id, name]) => summary(id, name));
  const api = {
    containers: {
      list: () => {
        const snapshot = read(); // what the engine saw when the read started
        if (!holdNextList) return Promise.resolve(snapshot);
        holdNextList = false;
        return new Promise<ContainerSummary[]>((resolve) => (heldList = () => resolve(snapshot)));
      },
      listByIds: ({ ids }: { ids: string[] }) => Promise.resolve(read().filter((c) => ids.includes(c.id))),
    },
    engine: {
      state: (_args: object, sink: { next: (state: ConnectionState) => void }) => {
        sink.next({ kind: 'connected', endpoint: 'unix:///x' } as ConnectionState);
        return { dispose: () => undefined };
      },
      events: (_args: object, sink: { next: (item: EngineEventItem) => void }) => {
        sendEvent = sink.next;
        return { dispose: () => undefined };
      },
    },
  } as unknown as BerthClient;
  return {
    api,
    rename: (id: string, name: string) => {
      names = new Map(names).set(id, name);
      sendEvent({ kind: 'event', event: { type: 'container', action: 'rename', id, name, timeNano: 1 } });
    },
    remove: (id: string) => {
      names = new Map(names);
      names.delete(id);
      sendEvent({ kind: 'event', event: { type: 'container', action: 'destroy', id, name: null, timeNano: 1 } });
    },
    holdNextList: () => (holdNextList = true),
    releaseList: () => heldList?.(),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

async function syncedList(engine: ReturnType<typeof fakeEngine>) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  const unsubscribe = new QueryObserver(queryClient, containersQuery(engine.api)).subscribe(() => undefined);
  await settle();
  const stop = startEngineSync(engine.api, queryClient);
  await settle();
  return {
    names: () => queryClient.getQueryData<ContainerSummary[]>(['containers'])?.map((c) => c.name),
    /** A full read of the list starts, as a reconnect's refresh does, and is held until released. */
    startHeldFullRead: async () => {
      engine.holdNextList();
      void queryClient.invalidateQueries({ queryKey: ['containers'], exact: true });
      await settle();
    },
    dispose: () => {
      stop();
      unsubscribe();
    },
  };
}

describe('startEngineSync', () => {
  it('a change that lands while a full read of the list is in flight is read again after it', async () => {
    const engine = fakeEngine();
    const list = await syncedList(engine);
    // The event's own read lands first; the full read, which saw the old name, lands last.
    await list.startHeldFullRead();
    engine.rename('c1', 'new');
    await settle();
    engine.releaseList();
    await settle();
    expect(list.names()).toEqual(['new']);
    list.dispose();
  });

  it('a container removed while a full read is in flight does not come back with it', async () => {
    const engine = fakeEngine();
    const list = await syncedList(engine);
    await list.startHeldFullRead();
    engine.remove('c1');
    await settle();
    engine.releaseList();
    await settle();
    expect(list.names()).toEqual([]);
    list.dispose();
  });

  it('an event with no full read in flight is applied once', async () => {
    const engine = fakeEngine();
    const list = await syncedList(engine);
    engine.rename('c1', 'new');
    await settle();
    expect(list.names()).toEqual(['new']);
    list.dispose();
  });
});
