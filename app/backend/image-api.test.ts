/** The images area of the contract over a fake ImageService (the real one has integration tests). */
import { describe, expect, it, vi } from 'vitest';
import { DisposableStore } from '../../base/index.js';
import type { ImageService } from '../../engine/images/index.js';
import type { TransferProgress } from '../../engine/images/index.js';
import type { PeerContext } from './implementation.js';
import { createImageImplementation } from './image-api.js';

const peer = (): PeerContext => ({ peerId: 'p', resources: new DisposableStore() });
const progress: TransferProgress = {
  reference: 'r:5000/a:1',
  layers: [],
  overall: { fraction: 1, current: 0, total: 0 },
  message: null,
  done: true,
};

function fakeImages() {
  const signals: AbortSignal[] = [];
  const images = {
    tag: vi.fn(async () => undefined),
    prune: vi.fn(async () => ({ kind: 'images' as const, removed: 2, spaceReclaimed: 1024 })),
    pull: vi.fn(async function* (_reference: string, signal: AbortSignal) {
      signals.push(signal);
      yield progress;
    }),
    registries: {
      login: vi.fn(async (registry: string, username: string) => ({ registry, username })),
      logout: vi.fn(async () => undefined),
      list: vi.fn(async () => [{ registry: 'r:5000', username: 'alice' }]),
    },
  };
  return { images, signals, implementation: createImageImplementation(images as unknown as ImageService) };
}

describe('createImageImplementation', () => {
  it('answers null for actions and passes results through', async () => {
    const { images, implementation } = fakeImages();
    await expect(implementation.tag({ source: 'busybox', target: 'r:5000/b:1' }, peer())).resolves.toBeNull();
    expect(images.tag).toHaveBeenCalledWith('busybox', 'r:5000/b:1');
    await expect(implementation.prune({}, peer())).resolves.toEqual({ kind: 'images', removed: 2, spaceReclaimed: 1024 });
  });

  it('hands the stream its subscription signal, so unsubscribing cancels the pull', async () => {
    const { signals, implementation } = fakeImages();
    const controller = new AbortController();
    const items: TransferProgress[] = [];
    for await (const item of implementation.pull({ reference: 'r:5000/a:1' }, peer(), controller.signal)) items.push(item);
    expect(items).toEqual([progress]);
    expect(signals).toEqual([controller.signal]);
  });

  it('logs in through the registry logins, never returning the password', async () => {
    const { images, implementation } = fakeImages();
    const login = await implementation.login({ registry: 'r:5000', username: 'alice', password: 'secret' }, peer());
    expect(login).toEqual({ registry: 'r:5000', username: 'alice' });
    expect(JSON.stringify(login)).not.toContain('secret');
    expect(images.registries.login).toHaveBeenCalledWith('r:5000', 'alice', 'secret');
    await expect(implementation.logins({}, peer())).resolves.toEqual([{ registry: 'r:5000', username: 'alice' }]);
    await expect(implementation.logout({ registry: 'r:5000' }, peer())).resolves.toBeNull();
  });
});
