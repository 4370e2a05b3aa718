/** Who holds a port, against the real private dockerd and real listeners of this computer (Linux). */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { ContainerService } from '../containers/index.js';
import { EngineConnection, type EngineError } from '../core/index.js';
import { ImageService } from '../images/index.js';
import type { RunRequest } from '../images/image-types.js';
import { connectTestEngine, engineError, removeContainers } from '../testing/engine-fixture.js';
import { freePort } from '../testing/free-port.js';
import { collect } from '../testing/image-fixtures.js';
import { uniqueName } from '../testing/names.js';
import { BUSYBOX_IMAGE, dockerCli } from '../testing/test-images.js';
import { LinuxPortLookup } from './host-port-lookup.js';
import { PortHolderFinder } from './port-holder.js';

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');
const never = new AbortController().signal;
const run = (name: string, hostPort: number): RunRequest => ({
  image: BUSYBOX_IMAGE,
  name,
  command: 'sleep 600',
  env: [],
  ports: [{ hostPort, containerPort: 80, protocol: 'tcp' }],
  volumes: [],
  restart: 'no',
  autoRemove: false,
  interactive: false,
});

/** Another process (so not Berth's own pid) listening on a free port; resolves once it listens. */
async function nodeListener(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['-e', "const s=require('net').createServer().listen(0,'0.0.0.0',()=>console.log(s.address().port))"],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`the listener exited (${code})`)));
  });
  return { child, port };
}

describe('PortHolderFinder (real dockerd, real listeners)', () => {
  let connection: EngineConnection;
  let finder: PortHolderFinder;
  let images: ImageService;
  let containers: ContainerService;
  const made: string[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    connection = await connectTestEngine(socketPath);
    finder = new PortHolderFinder(connection, new LinuxPortLookup());
    const describePort = (port: number) => finder.describe(port);
    images = new ImageService(connection, { describePort });
    containers = new ContainerService(connection, describePort);
  });
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill();
    await removeContainers(dockerHost, made.splice(0));
  });
  afterAll(() => connection.dispose());

  it('names a node listener of this computer by pid and program when a run needs its port', async () => {
    const { child, port } = await nodeListener();
    children.push(child);
    expect(await new LinuxPortLookup().holderOf(port)).toEqual({ kind: 'process', pid: child.pid, program: 'node' });
    const name = uniqueName('port-held');
    made.push(name);
    const result = await collect(images.run(run(name, port), never));
    expect(result.error).toMatchObject({
      code: 'in-use',
      message: `Port ${port} is already in use by node (pid ${child.pid}) on this computer. The container ${name} was created but not started.`,
    });
  });

  it('names the container that publishes the port, for a run and for a start', async () => {
    const port = await freePort();
    const holder = uniqueName('port-holder');
    made.push(holder);
    await dockerCli(dockerHost, ['run', '-d', '--name', holder, '-p', `${port}:80`, BUSYBOX_IMAGE, 'sleep', '600']);
    const holderId = await dockerCli(dockerHost, ['inspect', '-f', '{{.Id}}', holder]);
    expect(await finder.find(port)).toEqual({ kind: 'container', id: holderId, name: holder });

    const second = uniqueName('port-second');
    made.push(second);
    const result = await collect(images.run(run(second, port), never));
    expect((result.error as EngineError).message).toBe(
      `Port ${port} is already in use by container ${holder}. The container ${second} was created but not started.`,
    );

    const third = uniqueName('port-third');
    made.push(third);
    await dockerCli(dockerHost, ['create', '--name', third, '-p', `${port}:80`, BUSYBOX_IMAGE, 'sleep', '600']);
    const error = await engineError(containers.start(third));
    expect(error).toMatchObject({
      code: 'in-use',
      message: `Port ${port} is already in use by container ${holder}. Container ${third} was not started.`,
    });
  });

  it("calls Berth's own listener Berth's, and a free port free", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      expect(await finder.find(port)).toEqual({ kind: 'berth', description: `app (pid ${process.pid})` });
    } finally {
      server.close();
    }
    expect(await finder.find(await freePort())).toEqual({ kind: 'none' });
  });
});
