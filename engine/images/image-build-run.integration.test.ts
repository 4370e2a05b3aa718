/** Build, run, tag, prune and detail against the real engine. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { EngineConnection } from '../core/index.js';
import { EngineError } from '../core/index.js';
import { ImageService } from './image-service.js';
import type { RunRequest } from './image-types.js';
import { connectTestEngine, engineError, removeContainers, removeImages } from '../testing/engine-fixture.js';
import { freePort } from '../testing/free-port.js';
import { collect, createBuildContext } from '../testing/image-fixtures.js';
import { uniqueName } from '../testing/names.js';
import { BUSYBOX_IMAGE, dockerCli } from '../testing/test-images.js';
import { waitFor } from '../testing/wait-for.js';

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');
const registry = inject('registry');
const never = new AbortController().signal;

const run = (overrides: Partial<RunRequest>): RunRequest => ({
  image: BUSYBOX_IMAGE,
  env: [],
  ports: [],
  volumes: [],
  restart: 'no',
  autoRemove: false,
  interactive: false,
  ...overrides,
});
const containerExists = async (name: string) => (await dockerCli(dockerHost, ['ps', '-aq', '--filter', `name=^${name}$`])) !== '';

describe('build, run, tag, prune, detail (real dockerd)', () => {
  let connection: EngineConnection;
  let service: ImageService;
  const containers: string[] = [];
  const images: string[] = [];
  const cleanups: Array<() => void> = [];

  beforeAll(async () => {
    connection = await connectTestEngine(socketPath);
    service = new ImageService(connection);
  });
  afterEach(async () => {
    await removeContainers(dockerHost, containers.splice(0));
    await removeImages(dockerHost, images.splice(0));
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  afterAll(() => connection.dispose());

  async function context(steps: string[]) {
    const created = await createBuildContext(steps);
    cleanups.push(() => created.dispose());
    return created.dir;
  }

  it('builds with a streamed log, and the second build uses the cache', async () => {
    const tag = `berth-test/${uniqueName('built')}:1`;
    images.push(tag);
    const dir = await context(['COPY blob /blob', 'RUN echo built > /built']);
    const first = await collect(service.build({ contextPath: dir, tag }, never));
    expect(first.error).toBeNull();
    const log = first.items.flatMap((item) => (item.kind === 'log' ? [item.text] : [])).join('');
    expect(log).toContain('Step 3/3 : RUN echo built > /built');
    expect(first.items.at(-1)).toMatchObject({ kind: 'done', tags: [tag] });
    expect(await dockerCli(dockerHost, ['run', '--rm', tag, 'cat', '/built'])).toBe('built');

    const second = await collect(service.build({ contextPath: dir, tag }, never));
    const secondLog = second.items.flatMap((item) => (item.kind === 'log' ? [item.text] : [])).join('');
    expect(secondLog.match(/Using cache/g)?.length).toBe(2);
    expect(second.items.at(-1)).toMatchObject({ kind: 'done' });
  });

  it('a failing step names the step, and leaves no container behind', async () => {
    const before = await dockerCli(dockerHost, ['ps', '-aq']);
    const dir = await context(['RUN echo start', 'RUN exit 3']);
    const { error } = await collect(service.build({ contextPath: dir }, never));
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).message).toBe(
      "The build failed at step 3/3 (RUN exit 3): The command '/bin/sh -c exit 3' returned a non-zero code: 3",
    );
    expect(await dockerCli(dockerHost, ['ps', '-aq'])).toBe(before);
  });

  it('says which Dockerfile line does not parse, and what is wrong with the paths', async () => {
    const dir = await context(['FORM nothing']);
    const syntax = await collect(service.build({ contextPath: dir }, never));
    expect(syntax.error).toMatchObject({
      code: 'invalid-argument',
      message: 'Dockerfile syntax error: line 2: unknown instruction: FORM',
    });
    const missing = await collect(service.build({ contextPath: '/nonexistent/context' }, never));
    expect(missing.error).toMatchObject({ message: 'The context folder /nonexistent/context does not exist.' });
    const outside = await collect(service.build({ contextPath: dir, dockerfile: '../Dockerfile' }, never));
    expect((outside.error as Error).message).toMatch(/must be inside the context folder/);
    const badTag = await collect(service.build({ contextPath: dir, tag: 'Bad:Tag' }, never));
    expect((badTag.error as Error).message).toMatch(/Invalid image reference "Bad:Tag"/);
  });

  it('runs with a published port that answers, then refuses the same host port', async () => {
    const name = uniqueName('web');
    containers.push(name);
    const port = await freePort();
    const request = run({
      name,
      command: 'sh -c "echo hello from berth > /tmp/index.html && exec httpd -f -p 80 -h /tmp"',
      env: ['GREETING=hi there'],
      ports: [{ hostPort: port, containerPort: 80, protocol: 'tcp' }],
    });
    const started = await collect(service.run(request, never));
    expect(started.error).toBeNull();
    expect(started.items.map((item) => item.kind)).toEqual(['created', 'started']);
    const body = await waitFor('the published port to answer', async () => {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      return response.ok ? response.text() : null;
    });
    expect(body.trim()).toBe('hello from berth');
    expect((await dockerCli(dockerHost, ['exec', name, 'env'])).split('\n')).toContain('GREETING=hi there');

    const second = uniqueName('web2');
    containers.push(second);
    const clash = await collect(service.run({ ...request, name: second }, never));
    expect(clash.items.map((item) => item.kind)).toEqual(['created']);
    expect(clash.error).toMatchObject({
      code: 'in-use',
      message: `Port ${port} is already in use. The container ${second} was created but not started.`,
    });
    expect(await containerExists(second)).toBe(true);
  });

  it('maps a host port held by another process to the same message', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const name = uniqueName('held');
      containers.push(name);
      const result = await collect(
        service.run(run({ name, command: 'sleep 60', ports: [{ hostPort: port, containerPort: 80, protocol: 'tcp' }] }), never),
      );
      expect((result.error as EngineError).code).toBe('in-use');
      expect((result.error as EngineError).message).toMatch(new RegExp(`^Port ${port} is already in use\\.`));
    } finally {
      server.close();
    }
  });

  it('refuses bad inputs before creating anything', async () => {
    const taken = uniqueName('taken');
    containers.push(taken);
    await dockerCli(dockerHost, ['create', '--name', taken, BUSYBOX_IMAGE, 'true']);
    const cases: Array<[Partial<RunRequest>, string | RegExp]> = [
      [{ name: taken }, `The name ${taken} is already taken by another container.`],
      [{ image: 'Bad Ref' }, /Invalid image reference "Bad Ref"/],
      [{ env: ['JUSTAKEY'] }, 'Invalid environment variable "JUSTAKEY": write it as KEY=value.'],
      [{ image: `${registry}/${uniqueName('absent')}:1` }, /was not found in registry/],
    ];
    for (const [overrides, message] of cases) {
      const result = await collect(service.run(run({ command: 'true', ...overrides }), never));
      expect(result.items.filter((item) => item.kind !== 'pulling')).toEqual([]);
      expect((result.error as Error).message).toMatch(message);
    }
    const name = uniqueName('nobind');
    const bind = await collect(
      service.run(
        run({ name, command: 'true', volumes: [{ source: '/nonexistent/berth', target: '/data', readOnly: false }] }),
        never,
      ),
    );
    expect(bind.error).toMatchObject({
      code: 'invalid-argument',
      message: 'The host path /nonexistent/berth does not exist: a bind mount needs an existing file or folder.',
    });
    expect(await containerExists(name)).toBe(false);
  });

  it('pulls an absent image first, with progress, then runs it with a volume and a bind mount', async () => {
    const reference = `${registry}/${uniqueName('pulled')}:1`;
    images.push(reference);
    await dockerCli(dockerHost, ['tag', BUSYBOX_IMAGE, reference]);
    await dockerCli(dockerHost, ['push', reference]);
    await dockerCli(dockerHost, ['rmi', reference]);
    const name = uniqueName('mounted');
    const volume = uniqueName('vol');
    containers.push(name);
    const host = mkdtempSync(join(tmpdir(), 'berth-bind-'));
    cleanups.push(() => rmSync(host, { recursive: true, force: true }));
    writeFileSync(join(host, 'note'), 'from the host');
    const result = await collect(
      service.run(
        run({
          image: reference,
          name,
          command: 'sleep 60',
          restart: 'unless-stopped',
          volumes: [
            { source: volume, target: '/data', readOnly: false },
            { source: host, target: '/host', readOnly: true },
          ],
        }),
        never,
      ),
    );
    expect(result.error).toBeNull();
    expect(result.items[0]).toMatchObject({ kind: 'pulling' });
    expect(result.items.filter((item) => item.kind !== 'pulling').map((item) => item.kind)).toEqual(['created', 'started']);
    expect(await dockerCli(dockerHost, ['exec', name, 'cat', '/host/note'])).toBe('from the host');
    expect(await dockerCli(dockerHost, ['inspect', '-f', '{{.HostConfig.RestartPolicy.Name}}', name])).toBe('unless-stopped');
    await removeContainers(dockerHost, [name]);
    await dockerCli(dockerHost, ['volume', 'rm', volume]);
  });

  it('tags, shows detail with history and users, and prunes dangling images', async () => {
    const tag = `berth-test/${uniqueName('tagged')}:v2`;
    images.push(tag);
    await service.tag(BUSYBOX_IMAGE, tag);
    expect(await dockerCli(dockerHost, ['inspect', '-f', '{{.Id}}', tag])).toBe(
      await dockerCli(dockerHost, ['inspect', '-f', '{{.Id}}', BUSYBOX_IMAGE]),
    );
    expect((await engineError(service.tag(BUSYBOX_IMAGE, 'Nope:1'))).code).toBe('invalid-argument');
    expect((await engineError(service.tag('berth-test/ghost:none', `berth-test/${uniqueName('x')}`))).message).toBe(
      'There is no image berth-test/ghost:none to tag.',
    );

    const built = `berth-test/${uniqueName('detail')}:1`;
    images.push(built);
    const dir = await context(['RUN echo layer > /layer']);
    expect((await collect(service.build({ contextPath: dir, tag: built }, never))).error).toBeNull();
    const user = uniqueName('user');
    containers.push(user);
    await dockerCli(dockerHost, ['create', '--name', user, built, 'true']);
    const detail = await service.detail(built);
    expect(detail.repoTags).toEqual([built]);
    expect(detail.history[0]?.createdBy).toContain('echo layer > /layer');
    expect(detail.history.length).toBeGreaterThanOrEqual(2);
    expect(detail.containers).toEqual([expect.objectContaining({ name: user })]);
    expect(detail.inspect).toMatchObject({ Id: detail.id });
    expect((await engineError(service.detail('berth-test/ghost:none'))).code).toBe('not-found');

    // A dangling image: commit a container with a 1 MiB file, with no name.
    const source = uniqueName('dangling-src');
    containers.push(source);
    await dockerCli(dockerHost, ['run', '--name', source, BUSYBOX_IMAGE, 'sh', '-c', 'head -c 1048576 /dev/urandom > /junk']);
    const dangling = await dockerCli(dockerHost, ['commit', source]);
    await removeContainers(dockerHost, [source]);
    const pruned = await service.prune();
    expect(pruned.removed).toBeGreaterThanOrEqual(1);
    expect(pruned.spaceReclaimed).toBeGreaterThanOrEqual(1024 * 1024);
    expect(await dockerCli(dockerHost, ['images', '-q', '--no-trunc'])).not.toContain(dangling);
  });
});
