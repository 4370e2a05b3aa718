/**
 * Pull, push, cancel and login against the real engine and Debian's docker-registry on 127.0.0.1
 * (the shared one from the global setup, and one with a password started here).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKeyFileCredentialStore } from './credential-store.js';
import { EngineConnection } from '../core/index.js';
import { EngineError } from '../core/index.js';
import { ImageService } from './image-service.js';
import type { TransferProgress } from './image-types.js';
import { connectTestEngine, removeImages } from '../testing/engine-fixture.js';
import { collect, createBuildContext, seedRegistryImage } from '../testing/image-fixtures.js';
import { startLocalRegistry, type LocalRegistry } from '../testing/local-registry.js';
import { uniqueName } from '../testing/names.js';
import { BUSYBOX_IMAGE, dockerCli } from '../testing/test-images.js';

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');
const registry = inject('registry');

const imageExists = async (reference: string) => (await dockerCli(dockerHost, ['images', '-q', reference])) !== '';
const never = new AbortController().signal;

describe('pull and push (real dockerd, local registry)', () => {
  let connection: EngineConnection;
  let service: ImageService;
  const images: string[] = [];

  beforeAll(async () => {
    connection = await connectTestEngine(socketPath);
    service = new ImageService(connection);
  });
  afterEach(async () => removeImages(dockerHost, images.splice(0)));
  afterAll(() => connection.dispose());

  it('pushes a locally built image, and pulls it back with per-layer progress', async () => {
    const reference = `${registry}/${uniqueName('roundtrip')}:1`;
    images.push(reference);
    const context = await createBuildContext(['COPY blob /blob'], 8 * 1024 * 1024);
    try {
      const build = await collect(service.build({ contextPath: context.dir, tag: reference }, never));
      expect(build.error).toBeNull();
    } finally {
      context.dispose();
    }

    const push = await collect(service.push(reference, never));
    expect(push.error).toBeNull();
    const pushed = push.items.at(-1)!;
    expect(pushed.done).toBe(true);
    expect(pushed.layers.some((layer) => layer.status === 'Pushed')).toBe(true);
    expect(pushed.message).toMatch(/digest: sha256:/);

    await service.remove(reference);
    expect(await imageExists(reference)).toBe(false);

    const pull = await collect(service.pull(reference, never));
    expect(pull.error).toBeNull();
    const last = pull.items.at(-1)!;
    expect(last).toMatchObject({ reference, done: true, overall: { fraction: 1 } });
    // The 8 MiB layer was downloaded (bytes reported), the busybox one was already here.
    const downloaded = last.layers.find((layer) => layer.status === 'Pull complete');
    expect(downloaded).toBeDefined();
    expect(last.layers.some((layer) => layer.status === 'Already exists')).toBe(true);
    expect(last.overall.total).toBeGreaterThan(8 * 1024 * 1024);
    expect(pull.items.some((item) => item.layers.some((layer) => layer.status === 'Downloading' && layer.total !== null))).toBe(
      true,
    );
    const fractions = pull.items.map((item) => item.overall.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(await imageExists(reference)).toBe(true);
  });

  it('pulls ":latest" when no tag is named, and says so', async () => {
    const repository = `${registry}/${uniqueName('latest')}`;
    images.push(`${repository}:latest`);
    await dockerCli(dockerHost, ['tag', BUSYBOX_IMAGE, `${repository}:latest`]);
    await dockerCli(dockerHost, ['push', `${repository}:latest`]);
    await dockerCli(dockerHost, ['rmi', `${repository}:latest`]);
    const pull = await collect(service.pull(repository, never));
    expect(pull.error).toBeNull();
    expect(pull.items.at(-1)).toMatchObject({ reference: `${repository}:latest`, done: true });
    expect(await imageExists(`${repository}:latest`)).toBe(true);
  });

  it('cancelling a pull leaves neither the image nor its layers', async () => {
    const reference = `${registry}/${uniqueName('cancel')}:1`;
    images.push(reference);
    await seedRegistryImage(dockerHost, reference, 96 * 1024 * 1024);
    const layersBefore = await dockerCli(dockerHost, ['system', 'df', '--format', '{{.Type}} {{.Size}}']);

    const controller = new AbortController();
    const seen: TransferProgress[] = [];
    for await (const progress of service.pull(reference, controller.signal)) {
      seen.push(progress);
      if (progress.layers.some((layer) => layer.status === 'Downloading')) controller.abort();
    }
    expect(seen.at(-1)?.done).toBe(false);
    // The engine cancels when the request ends; give it the moment it needs to clean up, by polling.
    for (let attempt = 0; attempt < 100 && (await imageExists(reference)); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await imageExists(reference)).toBe(false);
    expect(await dockerCli(dockerHost, ['system', 'df', '--format', '{{.Type}} {{.Size}}'])).toBe(layersBefore);
  });

  it('names what is wrong: a bad reference, an image the registry does not have, a registry that is not there', async () => {
    const bad = await collect(service.pull('Not/Valid', never));
    expect((bad.error as EngineError).code).toBe('invalid-argument');
    expect((bad.error as EngineError).message).toMatch(/must be lowercase/);

    const ghost = `${registry}/${uniqueName('ghost')}:1`;
    const missing = await collect(service.pull(ghost, never));
    expect(missing.error).toBeInstanceOf(EngineError);
    expect(missing.error).toMatchObject({ code: 'not-found', message: `Image ${ghost} was not found in registry ${registry}.` });

    const nowhere = await collect(service.pull('127.0.0.1:1/app:1', never));
    expect((nowhere.error as EngineError).message).toMatch(/cannot reach registry 127\.0\.0\.1:1/);

    const notLocal = await collect(service.push(`${registry}/${uniqueName('nothere')}:1`, never));
    expect((notLocal.error as EngineError).code).toBe('not-found');
  });
});

describe('registry logins (real dockerd, registry with a password)', () => {
  const USER = 'alice';
  const PASSWORD = 'correct horse';
  let secured: LocalRegistry;
  let connection: EngineConnection;
  let stateDir: string;
  const images: string[] = [];

  beforeAll(async () => {
    secured = await startLocalRegistry({ auth: { username: USER, password: PASSWORD } });
    connection = await connectTestEngine(socketPath);
    stateDir = mkdtempSync(join(tmpdir(), 'berth-state-'));
  });
  afterEach(async () => removeImages(dockerHost, images.splice(0)));
  afterAll(async () => {
    connection.dispose();
    await secured.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('refuses wrong credentials with a specific error and saves nothing', async () => {
    const service = new ImageService(connection, { credentials: createKeyFileCredentialStore(stateDir) });
    const error = await service.registries.login(secured.address, USER, 'wrong').catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'unauthorized', message: `Wrong user name or password for ${secured.address}.` });
    expect(await service.registries.list()).toEqual([]);
  });

  it('after a login, push and pull use the saved credentials; without one the registry refuses', async () => {
    const reference = `${secured.address}/${uniqueName('private')}:1`;
    images.push(reference);
    await dockerCli(dockerHost, ['tag', BUSYBOX_IMAGE, reference]);

    const anonymous = new ImageService(connection);
    const refused = await collect(anonymous.push(reference, never));
    expect((refused.error as EngineError).code).toBe('unauthorized');
    expect((refused.error as EngineError).message).toContain(`log in to ${secured.address}`);

    const service = new ImageService(connection, { credentials: createKeyFileCredentialStore(stateDir) });
    expect(await service.registries.login(`http://${secured.address}/`, USER, PASSWORD)).toEqual({
      registry: secured.address,
      username: USER,
    });
    const push = await collect(service.push(reference, never));
    expect(push.error).toBeNull();
    expect(push.items.at(-1)?.done).toBe(true);

    await dockerCli(dockerHost, ['rmi', reference]);
    const denied = await collect(anonymous.pull(reference, never));
    expect(denied.error).toMatchObject({ code: 'unauthorized' });

    // A new service over the same state dir: the login was kept, encrypted.
    const later = new ImageService(connection, { credentials: createKeyFileCredentialStore(stateDir) });
    expect(await later.registries.list()).toEqual([{ registry: secured.address, username: USER }]);
    const pull = await collect(later.pull(reference, never));
    expect(pull.error).toBeNull();
    expect(await imageExists(reference)).toBe(true);

    await later.registries.logout(secured.address);
    expect(await later.registries.list()).toEqual([]);
  });
});
