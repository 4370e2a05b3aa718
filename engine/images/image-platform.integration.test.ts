/**
 * Platforms against the real engine and the local registry: the image list's platform (from image
 * inspect), a pull for one platform out of a two-platform manifest list, and a pull for a platform the
 * list does not have, refused naming the ones it has. The images are one-file roots loaded with a platform
 * and a manifest list put on the registry (engine/testing/platform-image.ts): only the configuration's
 * platform matters here, nothing runs them.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EngineConnection, EngineError } from '../core/index.js';
import { ImageService } from './image-service.js';
import { connectTestEngine, removeImages } from '../testing/engine-fixture.js';
import { collect } from '../testing/image-fixtures.js';
import { oneFileRoot, platformImageArchive, seedMultiPlatformImage } from '../testing/platform-image.js';
import { uniqueName } from '../testing/names.js';
import { BUSYBOX_IMAGE, dockerCli } from '../testing/test-images.js';

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');
const registry = inject('registry');
const never = new AbortController().signal;

describe('image platforms (real dockerd, local registry)', () => {
  let connection: EngineConnection;
  let service: ImageService;
  const repository = uniqueName('multi');
  const local = `berth-test/${uniqueName('arm64-only')}:1`;
  const multi = `${registry}/${repository}:multi`;
  const images = [local, multi];

  beforeAll(async () => {
    connection = await connectTestEngine(socketPath);
    service = new ImageService(connection);
    await dockerCli(dockerHost, ['load'], platformImageArchive(local, 'linux/arm64', oneFileRoot('arm64')));
    await seedMultiPlatformImage(dockerHost, registry, repository, ['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
  });

  afterAll(async () => {
    await removeImages(dockerHost, images);
    connection.dispose();
  });

  it('lists each image with its platform', async () => {
    const listed = await service.list();
    const platformOf = (tag: string) => listed.find((image) => image.repoTags.includes(tag))?.platform;
    expect(platformOf(local)).toBe('linux/arm64');
    expect(platformOf(BUSYBOX_IMAGE)).toBe('linux/amd64');
  });

  it('pulls one platform of a manifest list, then the others', async () => {
    for (const platform of ['linux/arm64', 'linux/arm/v7', 'linux/amd64']) {
      const pull = await collect(service.pull(multi, never, platform));
      expect(pull.error).toBeNull();
      expect(pull.items.at(-1)).toMatchObject({ reference: multi, done: true });
      expect((await service.list()).find((image) => image.repoTags.includes(multi))?.platform).toBe(platform);
    }
  });

  it('refuses a platform the manifest list does not have, naming the ones it has', async () => {
    const pull = await collect(service.pull(multi, never, 'linux/s390x'));
    expect(pull.error).toBeInstanceOf(EngineError);
    expect((pull.error as EngineError).message).toBe(
      `${multi} has no linux/s390x image: the registry has linux/amd64, linux/arm64 and linux/arm/v7.`,
    );
  });

  it('refuses a platform that is not one, with the format, before asking the engine', async () => {
    const pull = await collect(service.pull(multi, never, 'linux'));
    expect((pull.error as EngineError).code).toBe('invalid-argument');
    expect((pull.error as EngineError).message).toBe(
      '"linux" is not a platform: write it as os/architecture[/variant], for example linux/arm64 or linux/arm/v7.',
    );
  });

  it('refuses to run a local image for a platform it does not have, naming the one it has', async () => {
    const run = await collect(
      service.run(
        {
          image: local,
          env: [],
          ports: [],
          volumes: [],
          restart: 'no',
          autoRemove: true,
          interactive: false,
          platform: 'linux/amd64',
        },
        never,
      ),
    );
    expect((run.error as EngineError).message).toBe(
      `The image ${local} has no linux/amd64 variant here: it is linux/arm64 only, and it was not pulled from a registry that could have others.`,
    );
  });
});
