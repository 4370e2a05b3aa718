import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { ContainerService } from './container-service.js';
import type { StatsSample } from './container-types.js';
import { EngineConnection } from '../core/index.js';
import { connectTestEngine, engineError, removeContainers, removeImages } from '../testing/engine-fixture.js';
import { uniqueName } from '../testing/names.js';
import { BUSYBOX_IMAGE, dockerCli } from '../testing/test-images.js';
import { waitFor } from '../testing/wait-for.js';

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');

/** PID 1 that exits on SIGTERM at once and reports SIGHUP in its log. */
const STOPPABLE = [
  'sh',
  '-c',
  'trap "echo got-hup" HUP; trap "exit 0" TERM; echo traps-set; while true; do sleep 1 & wait; done',
];

describe('ContainerActions and ContainerStats (real dockerd)', () => {
  let connection: EngineConnection;
  let service: ContainerService;
  const created: string[] = [];
  const images: string[] = [];

  const run = async (extra: string[] = [], command = STOPPABLE) => {
    const name = uniqueName('act');
    created.push(name);
    const id = await dockerCli(dockerHost, ['run', '-d', '--name', name, ...extra, BUSYBOX_IMAGE, ...command]);
    return { name, id };
  };
  const state = (name: string) => dockerCli(dockerHost, ['inspect', '-f', '{{.State.Status}}', name]);

  beforeAll(async () => {
    connection = await connectTestEngine(socketPath);
    service = new ContainerService(connection);
  });
  afterEach(async () => {
    await removeContainers(dockerHost, created.splice(0));
    await removeImages(dockerHost, images.splice(0));
  });
  afterAll(() => connection.dispose());

  it('pauses and unpauses', async () => {
    const { name } = await run();
    await service.actions.pause(name);
    expect(await state(name)).toBe('paused');
    await service.actions.unpause(name);
    expect(await state(name)).toBe('running');
  });

  it('sends the chosen signal, and refuses one that does not exist', async () => {
    const { name } = await run();
    await waitFor('the traps to be set', async () => (await dockerCli(dockerHost, ['logs', name])).includes('traps-set'));
    await service.actions.kill(name, 'hup');
    await waitFor('the HUP trap to log', async () => (await dockerCli(dockerHost, ['logs', name])).includes('got-hup'));
    expect(await state(name)).toBe('running');
    const invalid = await engineError(service.actions.kill(name, 'SIGNOPE'));
    expect(invalid.code).toBe('invalid-argument');
    expect(invalid.message).toContain('"SIGNOPE" is not a signal');
    await service.actions.kill(name, 'SIGKILL');
    await waitFor('the container to die', async () => (await state(name)) === 'exited');
  });

  it('renames, and says which container holds a name already taken', async () => {
    const first = await run();
    const second = await run();
    const renamed = uniqueName('renamed');
    created.push(renamed);
    await service.actions.rename(first.name, renamed);
    expect(await dockerCli(dockerHost, ['inspect', '-f', '{{.Name}}', first.id])).toBe(`/${renamed}`);
    const taken = await engineError(service.actions.rename(second.name, renamed));
    expect(taken.code).toBe('conflict');
    expect(taken.message).toBe(
      `The name "${renamed}" is already taken by container ${first.id.slice(0, 12)}. Choose another name.`,
    );
  });

  it('names a missing container', async () => {
    const missing = await engineError(service.actions.pause('berth-no-such-container'));
    expect(missing.code).toBe('not-found');
    expect(missing.message).toContain('berth-no-such-container');
  });

  it('commits to a new image with a message, and refuses an invalid image name', async () => {
    const { name } = await run();
    await dockerCli(dockerHost, ['exec', name, 'sh', '-c', 'echo committed > /marker']);
    const reference = `berth-test/commit-${uniqueName('img').slice(-8)}:v1`;
    images.push(reference);
    const result = await service.actions.commit(name, reference, 'from the test');
    expect(result.reference).toBe(reference);
    expect(result.imageId).toMatch(/^sha256:/);
    expect(await dockerCli(dockerHost, ['image', 'inspect', '-f', '{{.Comment}}', reference])).toBe('from the test');
    expect(await dockerCli(dockerHost, ['run', '--rm', reference, 'cat', '/marker'])).toBe('committed');
    const invalid = await engineError(service.actions.commit(name, 'Not/Valid', null));
    expect(invalid.code).toBe('invalid-argument');
    expect(invalid.message).toMatch(/Invalid image reference "Not\/Valid".*lowercase/);
  });

  it('bulk-stops a selection and reports each failure by name', async () => {
    const first = await run();
    const second = await run();
    const failures = await service.actions.bulk([first.id, second.id, 'berth-no-such-container'], 'stop', { force: false });
    expect(await state(first.name)).toBe('exited');
    expect(await state(second.name)).toBe('exited');
    expect(failures).toEqual([
      {
        id: 'berth-no-such-container',
        name: 'berth-no-such-container',
        message: 'There is no container berth-no-such-container.',
      },
    ]);
  });

  it('acts on a compose project by its label', async () => {
    const project = uniqueName('proj');
    const label = (service: string) => [
      '--label',
      `com.docker.compose.project=${project}`,
      '--label',
      `com.docker.compose.service=${service}`,
    ];
    const web = await run(label('web'));
    const db = await run(label('db'));
    expect((await service.listByIds([web.id]))[0]).toMatchObject({ composeProject: project, composeService: 'web' });
    expect(await service.actions.project(project, 'stop')).toEqual([]);
    expect([await state(web.name), await state(db.name)]).toEqual(['exited', 'exited']);
    expect(await service.actions.project(project, 'start')).toEqual([]);
    expect([await state(web.name), await state(db.name)]).toEqual(['running', 'running']);
    expect(await service.actions.project(project, 'remove')).toEqual([]);
    await expect(dockerCli(dockerHost, ['inspect', web.name])).rejects.toThrow(/No such/);
    const none = await engineError(service.actions.project(project, 'start'));
    expect(none.message).toBe(`Compose project "${project}" has no containers.`);
  });

  it('streams stats shared between watchers, and closes the engine stream with the last one', async () => {
    const { id } = await run([], ['sh', '-c', 'trap "exit 0" TERM; while true; do :; done']);
    const first = new AbortController();
    const second = new AbortController();
    const samples: StatsSample[] = [];
    const many: StatsSample[][] = [];
    const reading = (async () => {
      for await (const sample of service.stats.watch(id, first.signal)) samples.push(sample);
    })();
    const readingMany = (async () => {
      for await (const batch of service.stats.watchMany([id], second.signal)) many.push(batch);
    })();
    await waitFor('two readings with CPU', () => samples.filter((sample) => sample.cpuPercent !== null).length >= 2, {
      timeoutMs: 20_000,
    });
    await waitFor('a batch for the list', () => many.length >= 1, { timeoutMs: 20_000 });
    expect(service.stats.openStreams).toBe(1);
    const busy = samples.at(-1)!;
    expect(busy.cpuPercent).toBeGreaterThan(10); // a busy loop
    expect(busy.memoryUsage).toBeGreaterThan(0);
    expect(busy.memoryLimit).toBeGreaterThan(busy.memoryUsage);
    expect(busy.pids).toBeGreaterThanOrEqual(1);
    expect(many[0]![0]!.id).toBe(id);
    first.abort();
    second.abort();
    await Promise.all([reading, readingMany]);
    await waitFor('the engine stream to close', () => service.stats.openStreams === 0);
  });
});
