/** The container detail part of the contract over fake services: argument mapping and the upload protocol. */
import { describe, expect, it, vi } from 'vitest';
import type { ContainerService } from '../../engine/containers/index.js';
import { DisposableStore } from '../../base/index.js';
import { EngineError } from '../../engine/core/index.js';
import type { PeerContext } from './implementation.js';
import { createContainerImplementation } from './container-api.js';

function fakeContainers() {
  const upload = vi.fn(async (_id: string, _directory: string, _name: string, _content: Buffer) => undefined);
  const rename = vi.fn(async () => undefined);
  const commit = vi.fn(async () => ({ imageId: 'sha256:1', reference: 'snap:latest' }));
  const download = vi.fn(async () => ({
    info: { fileName: 'hostname', kind: 'file' as const, size: 4 },
    chunks: (async function* () {
      yield Buffer.from('bo');
      yield Buffer.from('x\n');
    })(),
  }));
  const checkUploadTarget = vi.fn(async (id: string, _directory: string, _name: string) => {
    if (id === 'missing') throw new EngineError('not-found', 'No such container: missing');
  });
  const containers = {
    actions: { rename, commit },
    files: { upload, download, checkUploadTarget },
    logs: {},
    stats: {},
  } as unknown as ContainerService;
  return { containers, upload, rename, commit, download, checkUploadTarget };
}

const peer = (peerId = 'p1'): PeerContext => ({ peerId, resources: new DisposableStore() });

describe('createContainerImplementation', () => {
  it('renames without the leading slash the CLI allows, and passes an empty commit message as none', async () => {
    const fake = fakeContainers();
    const api = createContainerImplementation(fake.containers);
    await api.rename({ id: 'web', name: '/web-2' }, peer());
    expect(fake.rename).toHaveBeenCalledWith('web', 'web-2');
    await api.commit({ id: 'web', reference: 'snap', message: '  ' }, peer());
    expect(fake.commit).toHaveBeenCalledWith('web', 'snap', null);
  });

  it('streams a download as its info, then base64 chunks', async () => {
    const api = createContainerImplementation(fakeContainers().containers);
    const items = [];
    for await (const item of api.download({ id: 'web', path: '/etc/hostname' }, peer(), new AbortController().signal))
      items.push(item);
    expect(items).toEqual([
      { kind: 'info', info: { fileName: 'hostname', kind: 'file', size: 4 } },
      { kind: 'chunk', base64: Buffer.from('bo').toString('base64') },
      { kind: 'chunk', base64: Buffer.from('x\n').toString('base64') },
    ]);
  });

  it('uploads in chunks, then writes the file once, whole', async () => {
    const fake = fakeContainers();
    const api = createContainerImplementation(fake.containers);
    const owner = peer();
    const { uploadId } = await api.uploadStart({ id: 'web', directory: '/tmp', name: 'a.txt', size: 6 }, owner);
    await api.uploadChunk({ uploadId, base64: Buffer.from('abc').toString('base64') }, owner);
    await api.uploadChunk({ uploadId, base64: Buffer.from('def').toString('base64') }, owner);
    await api.uploadFinish({ uploadId, abort: false }, owner);
    expect(fake.upload).toHaveBeenCalledWith('web', '/tmp', 'a.txt', Buffer.from('abcdef'));
    await expect(api.uploadFinish({ uploadId, abort: false }, owner)).rejects.toThrow(/not in progress/);
  });

  it('refuses more data than announced, an incomplete file, and another peer’s upload', async () => {
    const api = createContainerImplementation(fakeContainers().containers);
    const owner = peer();
    const first = await api.uploadStart({ id: 'web', directory: '/tmp', name: 'a', size: 2 }, owner);
    await expect(
      api.uploadChunk({ uploadId: first.uploadId, base64: Buffer.from('abc').toString('base64') }, owner),
    ).rejects.toThrow('More data than the 2 bytes announced for a.');
    const second = await api.uploadStart({ id: 'web', directory: '/tmp', name: 'b', size: 2 }, owner);
    await expect(api.uploadChunk({ uploadId: second.uploadId, base64: 'AA==' }, peer('p2'))).rejects.toBeInstanceOf(EngineError);
    await api.uploadChunk({ uploadId: second.uploadId, base64: 'AA==' }, owner);
    await expect(api.uploadFinish({ uploadId: second.uploadId, abort: false }, owner)).rejects.toThrow(
      'b arrived incomplete (1 of 2 bytes).',
    );
  });

  it('forgets a peer’s uploads when the peer goes away', async () => {
    const api = createContainerImplementation(fakeContainers().containers);
    const owner = peer();
    const { uploadId } = await api.uploadStart({ id: 'web', directory: '/tmp', name: 'a', size: 1 }, owner);
    owner.resources.dispose();
    await expect(api.uploadChunk({ uploadId, base64: 'AA==' }, owner)).rejects.toThrow(/not in progress/);
  });

  it('checks the container and folder before it takes a byte, and reserves nothing for a refused upload', async () => {
    const fake = fakeContainers();
    const api = createContainerImplementation(fake.containers, { perPeer: 4, totalBytes: 10 });
    await expect(api.uploadStart({ id: 'missing', directory: '/tmp', name: 'a', size: 10 }, peer())).rejects.toThrow(
      'No such container: missing',
    );
    expect(fake.checkUploadTarget).toHaveBeenCalledWith('missing', '/tmp', 'a');
    // The refused start held no bytes: a full-size upload still fits.
    await expect(api.uploadStart({ id: 'web', directory: '/tmp', name: 'a', size: 10 }, peer())).resolves.toHaveProperty(
      'uploadId',
    );
  });

  it('bounds uploads per connection and their bytes across connections, and frees both when they end', async () => {
    const api = createContainerImplementation(fakeContainers().containers, { perPeer: 2, totalBytes: 100 });
    const [a, b] = [peer('a'), peer('b')];
    const start = (owner: PeerContext, size: number) => api.uploadStart({ id: 'web', directory: '/tmp', name: 'f', size }, owner);
    const first = await start(a, 40);
    await start(a, 10);
    await expect(start(a, 1)).rejects.toMatchObject({
      code: 'limit-reached',
      message: expect.stringContaining('2 uploads') as string,
    });
    await expect(start(b, 51)).rejects.toMatchObject({
      code: 'limit-reached',
      message: expect.stringContaining('at most 1 MiB') as string,
    });
    await start(b, 50);
    await api.uploadFinish({ uploadId: first.uploadId, abort: true }, a);
    await expect(start(b, 40)).resolves.toHaveProperty('uploadId');
    // b holds 90 of 100; a's own 10 come back when a goes away.
    await expect(start(peer('c'), 20)).rejects.toMatchObject({
      code: 'limit-reached',
      message: expect.stringContaining('at most') as string,
    });
    a.resources.dispose();
    await expect(start(a, 10)).resolves.toHaveProperty('uploadId');
  });
});
