import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { DiskUsageService } from './disk-usage-service.js';
import type { DiskUsage, DiskUsageKind } from './disk-usage-types.js';
import { EngineConnection } from '../core/index.js';
import { connectTestEngine, engineError, removeContainers, removeImages, removeVolumes } from '../testing/engine-fixture.js';
import { uniqueName } from '../testing/names.js';
import { BUSYBOX_IMAGE, dockerCli } from '../testing/test-images.js';

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');
const BLOB = 200_000;

const entry = (usage: DiskUsage, kind: DiskUsageKind) => usage.entries.find((candidate) => candidate.kind === kind)!;
const exists = (kind: 'container' | 'volume' | 'image', name: string) =>
  dockerCli(dockerHost, [kind, 'inspect', name]).then(
    () => true,
    () => false,
  );

describe('DiskUsageService (real dockerd)', () => {
  let connection: EngineConnection;
  let service: DiskUsageService;
  const containers: string[] = [];
  const volumes: string[] = [];
  const images: string[] = [];
  const name = (purpose: string, list: string[]) => {
    const value = uniqueName(purpose);
    list.push(value);
    return value;
  };
  /** An exited container whose writable layer holds BLOB bytes. */
  const stoppedWithData = async () => {
    const container = name('df-stopped', containers);
    await dockerCli(dockerHost, ['run', '--name', container, BUSYBOX_IMAGE, 'sh', '-c', `head -c ${BLOB} /dev/urandom > /blob`]);
    return container;
  };
  /** A volume holding BLOB bytes, used by no container. */
  const volumeWithData = async () => {
    const volume = name('df-vol', volumes);
    await dockerCli(dockerHost, [
      'run',
      '--rm',
      '-v',
      `${volume}:/data`,
      BUSYBOX_IMAGE,
      'sh',
      '-c',
      `head -c ${BLOB} /dev/urandom > /data/blob`,
    ]);
    return volume;
  };

  beforeAll(async () => {
    connection = await connectTestEngine(socketPath);
    service = new DiskUsageService(connection);
  });
  afterEach(async () => {
    await removeContainers(dockerHost, containers.splice(0));
    await removeVolumes(dockerHost, volumes.splice(0));
    await removeImages(dockerHost, images.splice(0));
  });
  afterAll(() => connection.dispose());

  it('computes what images, containers, volumes and build cache take, and what pruning would free', async () => {
    await stoppedWithData();
    await volumeWithData();
    const usage = await service.diskUsage();
    expect(usage.entries.map((candidate) => candidate.kind)).toEqual(['images', 'containers', 'volumes', 'build-cache']);
    expect(Date.now() - Date.parse(usage.computedAt)).toBeLessThan(60_000);
    expect(entry(usage, 'images').count).toBeGreaterThanOrEqual(2);
    expect(entry(usage, 'images').size).toBeGreaterThan(1_000_000);
    expect(entry(usage, 'containers').reclaimable).toBeGreaterThanOrEqual(BLOB);
    expect(entry(usage, 'volumes').reclaimable).toBeGreaterThanOrEqual(BLOB);
    for (const { size, reclaimable } of usage.entries) expect(reclaimable).toBeLessThanOrEqual(size);
  });

  it("gives one volume's size and how many containers reference it", async () => {
    const volume = await volumeWithData();
    const unused = await service.volumeUsage(volume);
    expect(unused.refCount).toBe(0);
    expect(unused.size).toBeGreaterThanOrEqual(BLOB);
    expect(unused.size).toBeLessThan(BLOB + 64 * 1024);
    await dockerCli(dockerHost, [
      'create',
      '--name',
      name('df-vol-user', containers),
      '-v',
      `${volume}:/data`,
      BUSYBOX_IMAGE,
      'true',
    ]);
    expect((await service.volumeUsage(volume)).refCount).toBe(1);
    const ghost = uniqueName('ghost');
    expect(await engineError(service.volumeUsage(ghost))).toMatchObject({
      code: 'not-found',
      message: `There is no volume ${ghost}.`,
    });
  });

  it('prunes stopped containers, keeps running ones, and reports the space freed', async () => {
    const stopped = await stoppedWithData();
    const running = name('df-running', containers);
    await dockerCli(dockerHost, ['run', '-d', '--name', running, BUSYBOX_IMAGE, 'sleep', '600']);
    const result = await service.prune('containers');
    expect(result.kind).toBe('containers');
    expect(result.removed).toBeGreaterThanOrEqual(1);
    expect(result.spaceReclaimed).toBeGreaterThanOrEqual(BLOB);
    expect(await exists('container', stopped)).toBe(false);
    expect(await exists('container', running)).toBe(true);
  });

  it('prunes every unused volume, named ones too, and keeps the ones in use', async () => {
    const unused = await volumeWithData();
    const used = await volumeWithData();
    await dockerCli(dockerHost, [
      'create',
      '--name',
      name('df-keeper', containers),
      '-v',
      `${used}:/data`,
      BUSYBOX_IMAGE,
      'true',
    ]);
    const result = await service.prune('volumes');
    expect(result.removed).toBeGreaterThanOrEqual(1);
    expect(result.spaceReclaimed).toBeGreaterThanOrEqual(BLOB);
    expect(await exists('volume', unused)).toBe(false);
    expect(await exists('volume', used)).toBe(true);
    expect(entry(await service.diskUsage(), 'volumes').reclaimable).toBe(0);
  });

  it('prunes every image no container uses, not only dangling ones', async () => {
    // Keep what other tests need: a container per image present makes each one "used".
    for (const image of (await dockerCli(dockerHost, ['images', '-q'])).split('\n').filter(Boolean)) {
      await dockerCli(dockerHost, ['create', '--name', name('df-image-keeper', containers), image, 'true']);
    }
    const source = await stoppedWithData();
    const tag = `berth-test/df-prune:${uniqueName('t')}`;
    images.push(tag);
    await dockerCli(dockerHost, ['commit', source, tag]);
    await removeContainers(dockerHost, [source]);
    expect(entry(await service.diskUsage(), 'images').reclaimable).toBeGreaterThanOrEqual(BLOB);

    const result = await service.prune('images');
    expect(result).toMatchObject({ kind: 'images', removed: 1 });
    expect(result.spaceReclaimed).toBeGreaterThanOrEqual(BLOB);
    expect(await exists('image', tag)).toBe(false);
    expect(await exists('image', BUSYBOX_IMAGE)).toBe(true);
  });

  it('prunes the build cache (nothing to free on a fresh engine, but it answers)', async () => {
    const result = await service.prune('build-cache');
    expect(result).toMatchObject({ kind: 'build-cache' });
    expect(result.spaceReclaimed).toBeGreaterThanOrEqual(0);
    expect(entry(await service.diskUsage(), 'build-cache').reclaimable).toBe(0);
  });
});
