import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { ContainerService } from './container-service.js';
import { EngineConnection } from '../core/index.js';
import { connectTestEngine, engineError, isRunningPerCli, removeContainers } from '../testing/engine-fixture.js';
import { freePort } from '../testing/free-port.js';
import { uniqueName } from '../testing/names.js';
import { BUSYBOX_IMAGE, dockerCli } from '../testing/test-images.js';

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');

/** PID 1 that exits on SIGTERM at once (a bare `sleep` as PID 1 ignores it and costs a 10 s stop timeout). */
const STOPPABLE = ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'];

describe('ContainerService (real dockerd)', () => {
  let connection: EngineConnection;
  let service: ContainerService;
  const created: string[] = [];

  const create = async (verb: 'run' | 'create', args: string[] = [], command = STOPPABLE) => {
    const name = uniqueName('ctr');
    created.push(name);
    const id = await dockerCli(dockerHost, [
      verb,
      ...(verb === 'run' ? ['-d'] : []),
      '--name',
      name,
      ...args,
      BUSYBOX_IMAGE,
      ...command,
    ]);
    return { name, id };
  };

  beforeAll(async () => {
    connection = await connectTestEngine(socketPath);
    service = new ContainerService(connection);
  });
  afterEach(async () => {
    await removeContainers(dockerHost, created.splice(0));
  });
  afterAll(() => connection.dispose());

  it('lists a container the CLI created, with its published port once', async () => {
    const port = await freePort();
    const { name, id } = await create('run', ['-p', `${port}:80`]);
    const summary = (await service.list()).find((container) => container.id === id);
    expect(summary).toMatchObject({
      id,
      name,
      image: BUSYBOX_IMAGE,
      state: 'running',
      status: expect.stringMatching(/^Up /) as string,
      ports: [{ hostPort: port, hostIp: '0.0.0.0', containerPort: 80, protocol: 'tcp' }],
    });
    expect(summary?.command).toContain('sleep 3600');
    expect(summary?.imageId).toBe(await dockerCli(dockerHost, ['inspect', '-f', '{{.Image}}', name]));
    expect(summary?.created).toBeGreaterThan(Date.now() / 1000 - 600);
  });

  it('lists stopped containers too', async () => {
    const { id } = await create('create');
    expect((await service.list()).find((container) => container.id === id)?.state).toBe('created');
  });

  it('listByIds returns just the asked-for containers', async () => {
    const first = await create('create');
    const second = await create('create');
    await create('create');
    const listed = await service.listByIds([first.id, second.id.slice(0, 12)]);
    expect(listed.map((container) => container.id).sort()).toEqual([first.id, second.id].sort());
    expect(await service.listByIds([])).toEqual([]);
  });

  it('start, stop and restart change the state, as the CLI confirms', async () => {
    const { name, id } = await create('create');
    expect(await isRunningPerCli(dockerHost, name)).toBe(false);

    await service.start(id);
    expect(await isRunningPerCli(dockerHost, name)).toBe(true);
    await service.start(id); // already running: nothing to do, not an error
    expect(await isRunningPerCli(dockerHost, name)).toBe(true);

    await service.stop(name);
    expect(await isRunningPerCli(dockerHost, name)).toBe(false);
    expect((await service.listByIds([id]))[0]?.state).toBe('exited');
    await service.stop(name); // already stopped: not an error

    const startedBefore = await dockerCli(dockerHost, ['inspect', '-f', '{{.State.StartedAt}}', name]);
    await service.restart(id);
    expect(await isRunningPerCli(dockerHost, name)).toBe(true);
    expect(await dockerCli(dockerHost, ['inspect', '-f', '{{.State.StartedAt}}', name])).not.toBe(startedBefore);

    const pidBefore = await dockerCli(dockerHost, ['inspect', '-f', '{{.State.Pid}}', name]);
    await service.restart(id);
    expect(await isRunningPerCli(dockerHost, name)).toBe(true);
    expect(await dockerCli(dockerHost, ['inspect', '-f', '{{.State.Pid}}', name])).not.toBe(pidBefore);
  });

  it('refuses to remove a running container without force, saying it is running', async () => {
    const { name, id } = await create('run');
    const error = await engineError(service.remove(id, { force: false }));
    expect(error.code).toBe('in-use');
    expect(error.message).toBe(`Container ${name} is running. Stop it first, or remove it with force.`);
    expect(await isRunningPerCli(dockerHost, name)).toBe(true);
  });

  it('removes a running container with force', async () => {
    const { name, id } = await create('run');
    await service.remove(name, { force: true });
    expect(await dockerCli(dockerHost, ['ps', '-a', '-q', '--no-trunc', '--filter', `id=${id}`])).toBe('');
    expect((await service.list()).some((container) => container.id === id)).toBe(false);
  });

  it('removes a stopped container without force', async () => {
    const { id } = await create('create');
    await service.remove(id, { force: false });
    expect(await dockerCli(dockerHost, ['ps', '-a', '-q', '--no-trunc', '--filter', `id=${id}`])).toBe('');
  });

  it.each(['start', 'stop', 'restart', 'remove'] as const)(
    '%s of an unknown container fails with not-found naming it',
    async (action) => {
      const ghost = uniqueName('ghost');
      const call = action === 'remove' ? service.remove(ghost, { force: true }) : service[action](ghost);
      const error = await engineError(call);
      expect(error.code).toBe('not-found');
      expect(error.message).toContain(ghost);
    },
  );

  it('fails fast with unreachable when the connection is not up', async () => {
    const idle = new EngineConnection({ kind: 'unix', socketPath });
    try {
      const error = await engineError(new ContainerService(idle).list());
      expect(error).toMatchObject({
        code: 'unreachable',
        message: 'The engine is unreachable: Berth has not connected to it yet (its VM may still be starting).',
      });
    } finally {
      idle.dispose();
    }
  });
});
