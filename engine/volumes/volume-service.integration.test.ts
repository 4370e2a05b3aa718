import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { EngineConnection } from '../core/index.js';
import { connectTestEngine, engineError, removeContainers, removeVolumes } from '../testing/engine-fixture.js';
import { uniqueName } from '../testing/names.js';
import { BUSYBOX_IMAGE, dockerCli } from '../testing/test-images.js';
import { VolumeService } from './volume-service.js';

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');

const volumeExists = async (name: string) =>
  (await dockerCli(dockerHost, ['volume', 'ls', '-q', '--filter', `name=^${name}$`])) === name;

describe('VolumeService (real dockerd)', () => {
  let connection: EngineConnection;
  let service: VolumeService;
  const volumes: string[] = [];
  const containers: string[] = [];
  const newVolumeName = () => {
    const name = uniqueName('vol');
    volumes.push(name);
    return name;
  };

  beforeAll(async () => {
    connection = await connectTestEngine(socketPath);
    service = new VolumeService(connection);
  });
  afterEach(async () => {
    await removeContainers(dockerHost, containers.splice(0));
    await removeVolumes(dockerHost, volumes.splice(0));
  });
  afterAll(() => connection.dispose());

  it('creates a volume the CLI then sees, and lists it', async () => {
    const name = newVolumeName();
    const created = await service.create(name);
    expect(created).toMatchObject({ name, driver: 'local', labels: {} });
    expect(created.mountpoint).toBe(await dockerCli(dockerHost, ['volume', 'inspect', '-f', '{{.Mountpoint}}', name]));
    expect(await volumeExists(name)).toBe(true);
    expect((await service.list()).find((volume) => volume.name === name)).toMatchObject({
      name,
      driver: 'local',
      mountpoint: created.mountpoint,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
    });
  });

  it('lists a volume the CLI created', async () => {
    const name = newVolumeName();
    await dockerCli(dockerHost, ['volume', 'create', '--label', 'made-by=cli', name]);
    expect((await service.list()).find((volume) => volume.name === name)?.labels).toEqual({ 'made-by': 'cli' });
  });

  it('refuses a duplicate name with conflict instead of silently returning the old volume', async () => {
    const name = newVolumeName();
    await dockerCli(dockerHost, ['volume', 'create', '--label', 'original=yes', name]);
    const error = await engineError(service.create(name));
    expect(error).toMatchObject({ code: 'conflict', message: `A volume named ${name} already exists.` });
    expect(await dockerCli(dockerHost, ['volume', 'inspect', '-f', '{{index .Labels "original"}}', name])).toBe('yes');
  });

  it.each(['x', '-starts-with-dash', 'has space', 'a/b'])(
    'refuses the invalid name %j with invalid-argument, creating nothing',
    async (name) => {
      const before = await dockerCli(dockerHost, ['volume', 'ls', '-q']);
      const error = await engineError(service.create(name));
      expect(error.code).toBe('invalid-argument');
      expect(error.message).toMatch(/volume name/);
      expect(await dockerCli(dockerHost, ['volume', 'ls', '-q'])).toBe(before);
    },
  );

  it('refuses to remove a volume in use, naming the container', async () => {
    const name = newVolumeName();
    await service.create(name);
    const user = uniqueName('vol-user');
    containers.push(user);
    await dockerCli(dockerHost, ['create', '--name', user, '-v', `${name}:/data`, BUSYBOX_IMAGE, 'true']);
    const error = await engineError(service.remove(name));
    expect(error.code).toBe('in-use');
    expect(error.message).toBe(`Volume ${name} is in use by ${user}. Remove that container first.`);
    expect(await volumeExists(name)).toBe(true);
  });

  it('removes an unused volume', async () => {
    const name = newVolumeName();
    await service.create(name);
    await service.remove(name);
    expect(await volumeExists(name)).toBe(false);
    expect((await service.list()).some((volume) => volume.name === name)).toBe(false);
  });

  it('inspects a volume and names the containers that mount it, running or not, and where', async () => {
    const name = newVolumeName();
    await service.create(name);
    const reader = uniqueName('vol-reader');
    const writer = uniqueName('vol-writer');
    containers.push(reader, writer);
    await dockerCli(dockerHost, ['create', '--name', reader, '-v', `${name}:/in:ro`, BUSYBOX_IMAGE, 'true']);
    await dockerCli(dockerHost, ['run', '-d', '--name', writer, '-v', `${name}:/data`, BUSYBOX_IMAGE, 'sleep', '600']);
    expect(await service.inspect(name)).toMatchObject({ name, driver: 'local' });
    expect(await service.users(name)).toEqual([
      expect.objectContaining({ name: reader, state: 'created', destination: '/in', readOnly: true }),
      expect.objectContaining({ name: writer, state: 'running', destination: '/data', readOnly: false }),
    ]);
    expect(await service.users(newVolumeName())).toEqual([]);
  });

  it('inspecting a missing volume says it is not there', async () => {
    const ghost = uniqueName('ghost');
    expect(await engineError(service.inspect(ghost))).toMatchObject({
      code: 'not-found',
      message: `There is no volume ${ghost}.`,
    });
  });

  it('removing an unknown volume gives not-found', async () => {
    const ghost = uniqueName('ghost');
    const error = await engineError(service.remove(ghost));
    expect(error.code).toBe('not-found');
    expect(error.message).toContain(ghost);
  });
});
