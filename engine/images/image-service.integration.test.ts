import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { EngineConnection } from '../core/index.js';
import { ImageService } from './image-service.js';
import { connectTestEngine, engineError, removeContainers, removeImages } from '../testing/engine-fixture.js';
import { uniqueName } from '../testing/names.js';
import { BUSYBOX_IMAGE, dockerCli } from '../testing/test-images.js';

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');

const tagExists = async (reference: string) => (await dockerCli(dockerHost, ['images', '-q', reference])) !== '';

describe('ImageService (real dockerd)', () => {
  let connection: EngineConnection;
  let service: ImageService;
  const containers: string[] = [];
  const images: string[] = [];

  beforeAll(async () => {
    connection = await connectTestEngine(socketPath);
    service = new ImageService(connection);
  });
  afterEach(async () => {
    await removeContainers(dockerHost, containers.splice(0));
    await removeImages(dockerHost, images.splice(0));
  });
  afterAll(() => connection.dispose());

  /** An image of its own (one tag only), so a conflict on it cannot touch the shared test image. */
  async function ownImage(): Promise<{ reference: string; id: string }> {
    const source = uniqueName('img-src');
    containers.push(source);
    await dockerCli(dockerHost, ['create', '--name', source, BUSYBOX_IMAGE, 'true']);
    const reference = `berth-test/${uniqueName('img')}:v1`;
    images.push(reference);
    const id = await dockerCli(dockerHost, ['commit', source, reference]);
    return { reference, id };
  }

  it('lists the test image with its tag, id and size, as the CLI does', async () => {
    const busybox = (await service.list()).find((image) => image.repoTags.includes(BUSYBOX_IMAGE));
    expect(busybox).toBeDefined();
    expect(busybox?.id).toBe(await dockerCli(dockerHost, ['inspect', '-f', '{{.Id}}', BUSYBOX_IMAGE]));
    expect(busybox?.size).toBe(Number(await dockerCli(dockerHost, ['inspect', '-f', '{{.Size}}', BUSYBOX_IMAGE])));
    expect(busybox?.created).toBeGreaterThan(0);
  });

  it('refuses to remove an image a container uses, naming that container', async () => {
    const { reference } = await ownImage();
    const user = uniqueName('img-user');
    containers.push(user);
    await dockerCli(dockerHost, ['create', '--name', user, reference, 'true']);
    const error = await engineError(service.remove(reference));
    expect(error.code).toBe('in-use');
    expect(error.message).toBe(`Image ${reference} is used by container ${user}. Remove that container first.`);
    expect(await tagExists(reference)).toBe(true);
  });

  it('removes one reference of an image tagged twice, leaving the other', async () => {
    const copy = `berth-test/${uniqueName('copy')}:latest`;
    images.push(copy);
    await dockerCli(dockerHost, ['tag', BUSYBOX_IMAGE, copy]);
    expect((await service.list()).find((image) => image.repoTags.includes(BUSYBOX_IMAGE))?.repoTags).toContain(copy);

    await service.remove(copy);
    expect(await tagExists(copy)).toBe(false);
    expect(await tagExists(BUSYBOX_IMAGE)).toBe(true);
    expect((await service.list()).some((image) => image.repoTags.includes(copy))).toBe(false);
  });

  it('removes an unused image by id', async () => {
    const { reference, id } = await ownImage();
    await removeContainers(dockerHost, containers.splice(0));
    await service.remove(id);
    expect(await tagExists(reference)).toBe(false);
    expect((await service.list()).some((image) => image.id === id)).toBe(false);
  });

  it('an unknown image gives not-found', async () => {
    const ghost = `berth-test/${uniqueName('ghost')}:nope`;
    const error = await engineError(service.remove(ghost));
    expect(error.code).toBe('not-found');
    expect(error.message).toContain(ghost);
  });
});
