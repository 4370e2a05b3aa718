import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { runImage } from './image-run.js';
import type { RunProgress, RunRequest } from './image-types.js';

const request: RunRequest = {
  image: 'web:1',
  name: 'web',
  env: [],
  ports: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
  volumes: [],
  restart: 'no',
  autoRemove: false,
  interactive: false,
};

/** An engine where the image is present and the name free; it records the calls in order. */
function fakeEngine(log: string[]): Dockerode {
  const notFound = () => Promise.reject(Object.assign(new Error('no such container'), { statusCode: 404 }));
  const container = {
    id: 'c0ffee',
    inspect: () => Promise.resolve({ Name: '/web' }),
    start: () => (log.push('start'), Promise.resolve()),
  };
  return {
    getContainer: () => ({ inspect: notFound }),
    getImage: () => ({ inspect: () => Promise.resolve({ Os: 'linux', Architecture: 'amd64', RepoDigests: [] }) }),
    createContainer: () => (log.push('create'), Promise.resolve(container)),
  } as unknown as Dockerode;
}

async function run(forwardsReady: (id: string) => Promise<void>, log: string[]): Promise<RunProgress[]> {
  const items: RunProgress[] = [];
  const auth = async () => ({});
  for await (const item of runImage(fakeEngine(log), request, auth, new AbortController().signal, { forwardsReady })) {
    log.push(item.kind);
    items.push(item);
  }
  return items;
}

describe('runImage and the VM’s forwards', () => {
  it('says started only once the container’s ports are forwarded', async () => {
    const log: string[] = [];
    await run(async (id) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      log.push(`forwarded ${id}`);
    }, log);
    expect(log).toEqual(['create', 'created', 'start', 'forwarded c0ffee', 'started']);
  });

  it('still says started when the forwards could not be waited for', async () => {
    const log: string[] = [];
    const items = await run(() => Promise.reject(new Error('QEMU went away')), log);
    expect(items.at(-1)).toEqual({ kind: 'started', containerId: 'c0ffee', name: 'web' });
  });
});
