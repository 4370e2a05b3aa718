/**
 * What the running VM offers the host, for real (QEMU, TCG here): published container ports forwarded
 * to 127.0.0.1 as the engine starts and stops containers, there before a run or start says "running",
 * holding 100 concurrent clients, a taken host port reported per container,
 * the host unix socket and the `berth` docker context used by the real docker CLI, one Berth per VM,
 * and forwards coming back for a restart-policy container after a reboot.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerService } from '../engine/containers/index.js';
import { EngineConnection } from '../engine/core/index.js';
import { ImageService } from '../engine/images/index.js';
import { freePort } from '../engine/testing/free-port.js';
import { busyboxRootTar } from '../engine/testing/test-images.js';
import { waitFor } from '../engine/testing/wait-for.js';
import { isLoopbackPortFree } from './ports/host-forward-table.js';
import { VmError, VmService } from './vm-service.js';
import { printConsoleTailOnFailure } from './testing/console-on-failure.js';
import { fetchLoopbackPage, loopbackPageBody } from './testing/loopback-page.js';
import { contextCli } from './testing/context-cli.js';
import {
  buildHttpLoad,
  HTTP_LOAD_IN_IMAGE,
  HTTP_LOAD_SERVER_COMMAND,
  httpLoadInVmArgs,
  httpLoadOnHost,
  parseHttpLoad,
} from './testing/http-load.js';
import { requireTestImage, testImageDir } from './testing/test-image.js';

const imageDir = testImageDir();
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vm-ports-'));
const dockerConfig = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-docker-config-'));
const cli = contextCli(dockerConfig);
const docker = cli.run;
const token = `berth-${Math.random().toString(36).slice(2, 10)}`;
const image = 'berth-test/busybox-www';

function readBanner(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = net.connect(port, '127.0.0.1');
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

/** A node server in another process (so not Berth's own pid) that greets and closes; resolves once it listens. */
async function squatterProcess(): Promise<{ child: ChildProcess; port: number }> {
  const script =
    "const s=require('net').createServer((c)=>c.end('squatter\\n')).listen(0,'127.0.0.1',()=>console.log(s.address().port))";
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`the squatter exited (${code})`)));
  });
  return { child, port };
}

const forwarded = (vm: VmService, protocol: 'tcp' | 'udp', port: number) =>
  vm.portForwards().some((forward) => forward.protocol === protocol && forward.hostPort === port);

describe('the engine VM’s ports, socket and context (QEMU)', () => {
  const vm = new VmService({
    stateDir,
    imageDir,
    settings: { cpus: 2, memoryMiB: 1024, diskGiB: 8 },
    dockerContext: { env: cli.env },
  });
  printConsoleTailOnFailure(vm);
  let events: EngineConnection | null = null;
  const firstSeen = new Map<string, number>(); // "action id" -> performance.now() the event arrived
  const forwardTimes = new Map<string, { added: number; removed?: number }>(); // "tcp:8080" -> when
  vm.onPortForwardsChange((forwards) => {
    const now = performance.now();
    const active = new Set(forwards.map((forward) => `${forward.protocol}:${forward.hostPort}`));
    for (const key of active) if (!forwardTimes.get(key) || forwardTimes.get(key)?.removed) forwardTimes.set(key, { added: now });
    for (const [key, times] of forwardTimes) if (!active.has(key)) times.removed ??= now;
  });

  beforeAll(async () => {
    requireTestImage();
    await vm.start();
    // A second listener on the engine's events, to time the forwarder against the events it follows.
    events = new EngineConnection(vm.endpoint());
    events.onEvent((event) => {
      const key = `${event.action} ${event.id}`;
      if (!firstSeen.has(key)) firstSeen.set(key, performance.now());
    });
    events.start();
    await waitFor('the event stream', () => events?.state.kind === 'connected');
    // A busybox root whose /www/index.html holds the token, for `busybox httpd`, and the load client:
    // a 3 MB upload through the host socket.
    const load = { content: fs.readFileSync(await buildHttpLoad()), mode: 0o755 };
    await docker(['import', '-', image], {
      input: await busyboxRootTar({ 'www/index.html': token, [HTTP_LOAD_IN_IMAGE]: load }),
    });
  });

  afterAll(async () => {
    events?.dispose();
    await vm.stop().catch(() => undefined);
    vm.dispose();
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.rmSync(dockerConfig, { recursive: true, force: true });
  });

  it('serves the engine on a 0600 unix socket, named by a `berth` context the real CLI uses', async () => {
    const socketPath = path.join(stateDir, 'docker.sock');
    expect(vm.hostSocketPath).toBe(socketPath);
    expect(vm.dockerHostEnv).toBe(`DOCKER_HOST=unix://${socketPath}`);
    expect((fs.statSync(socketPath).mode & 0o777).toString(8)).toBe('600');
    expect(vm.dockerContext).toEqual({ status: 'created', name: 'berth', host: `unix://${socketPath}` });

    expect(await docker(['ps', '--format', '{{.ID}}'])).toBe('');
    expect(await docker(['version', '--format', '{{.Server.Os}}'])).toBe('linux');
    // stdin's end reaches the container as a half-close, and the output still comes back.
    expect(await docker(['run', '-i', '--rm', image, 'cat'], { input: `${token}\n` })).toBe(token);
    // The user's current context is never switched.
    expect(await docker(['context', 'show'], { viaBerth: false })).toBe('default');
  });

  it('forwards a published port while its container runs, and removes the forward when it stops', async () => {
    const port = await freePort();
    const id = await docker([
      'run',
      '-d',
      '--name',
      'berth-web',
      '-p',
      `${port}:80`,
      image,
      'httpd',
      '-f',
      '-p',
      '80',
      '-h',
      '/www',
    ]);
    await waitFor('the forward', () => forwarded(vm, 'tcp', port));
    const page = await waitFor('the page', () => loopbackPageBody(port));
    expect(page).toBe(token);
    const pageAt = performance.now();
    // A run on another engine that wants this port is told whose forward has it.
    expect(vm.forwardHolding(port)).toBe("forward of container berth-web's port 80");
    const startedAt = firstSeen.get(`start ${id}`);
    expect(vm.portProblems().size).toBe(0);

    await docker(['stop', '-t', '1', 'berth-web']);
    await waitFor('the forward to go', () => !forwarded(vm, 'tcp', port));
    expect(await fetchLoopbackPage(port)).toEqual({ error: 'ECONNREFUSED' });
    expect(await isLoopbackPortFree('tcp', port)).toBe(true);
    const diedAt = firstSeen.get(`die ${id}`);
    const times = forwardTimes.get(`tcp:${port}`);
    console.log(
      `start event -> forward active ${((times?.added ?? NaN) - (startedAt ?? NaN)).toFixed(0)} ms; ` +
        `-> first page ${(pageAt - (startedAt ?? NaN)).toFixed(0)} ms; ` +
        `die event -> forward removed ${((times?.removed ?? NaN) - (diedAt ?? NaN)).toFixed(0)} ms`,
    );
    await docker(['rm', 'berth-web']);
  });

  it('has the forward in place when a run or a start says the container runs: the first fetch answers', async () => {
    const connection = events!;
    const forwardsReady = (id: string) => vm.forwardsReady(id);
    const images = new ImageService(connection, { forwardsReady });
    const port = await freePort();
    let started: string | null = null;
    const run = images.run(
      {
        image,
        name: 'berth-first-fetch',
        command: 'httpd -f -p 80 -h /www',
        env: [],
        ports: [{ hostPort: port, containerPort: 80, protocol: 'tcp' }],
        volumes: [],
        restart: 'no',
        autoRemove: false,
        interactive: false,
      },
      new AbortController().signal,
    );
    for await (const progress of run) if (progress.kind === 'started') started = progress.containerId;
    // No waiting: this is the Run dialog saying "running" and the person opening the page.
    expect(await fetchLoopbackPage(port)).toEqual({ body: token });
    expect(started).not.toBeNull();

    // The same after a start from the list.
    await docker(['stop', '-t', '1', 'berth-first-fetch']);
    await waitFor('the forward to go', () => !forwarded(vm, 'tcp', port));
    await new ContainerService(connection, undefined, forwardsReady).start(started!);
    expect(await fetchLoopbackPage(port)).toEqual({ body: token });
    await docker(['rm', '-f', 'berth-first-fetch']);
  });

  it('holds 100 concurrent clients on a published port: none fails, p99 within 3× of the same requests inside the VM', async () => {
    const port = await freePort();
    await docker(['run', '-d', '--name', 'berth-load', '-p', `${port}:80`, image, ...HTTP_LOAD_SERVER_COMMAND]);
    await waitFor('the forward', () => forwarded(vm, 'tcp', port));
    expect(await waitFor('the page', () => loopbackPageBody(port))).toBe('hello\n');
    const requests = 2_000;
    const concurrency = 100;
    // The reference first, then this computer: the same static client, the same docker-proxy in the VM.
    const inside = parseHttpLoad(await docker(httpLoadInVmArgs(image, port, requests, concurrency)));
    const outside = await httpLoadOnHost(port, requests, concurrency);
    const figures = (r: typeof inside) =>
      `${(r.requests / r.seconds).toFixed(0)} req/s, ${r.failures} failed, p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms`;
    console.log(
      `${requests} requests at ${concurrency} concurrent: published port ${figures(outside)}; inside the VM ${figures(inside)}; ` +
        `p99 ratio ${(outside.p99 / inside.p99).toFixed(2)}×, load average ${os.loadavg()[0]!.toFixed(1)}`,
    );
    expect(inside.failures).toBe(0);
    expect({ failures: outside.failures, firstFailure: outside.firstFailure }).toEqual({ failures: 0, firstFailure: '' });
    expect(outside.p99).toBeLessThanOrEqual(3 * inside.p99);
    await docker(['rm', '-f', 'berth-load']);
  }, 600_000);

  it('forwards a published UDP port too', async () => {
    const port = await freePort();
    await docker(['run', '-d', '--name', 'berth-udp', '-p', `${port}:5353/udp`, image, 'sleep', '600']);
    await waitFor('the UDP forward', () => forwarded(vm, 'udp', port));
    expect(await isLoopbackPortFree('udp', port)).toBe(false); // QEMU holds it now
    await docker(['rm', '-f', 'berth-udp']);
    await waitFor('the UDP forward to go', () => !forwarded(vm, 'udp', port));
  });

  it('tells which container’s port is unreachable when the host port is taken, and by which process', async () => {
    const { child: squatter, port } = await squatterProcess();
    const changes: number[] = [];
    const subscription = vm.onPortProblemsChange((problems) => changes.push(problems.size));
    try {
      const id = await docker([
        'run',
        '-d',
        '--name',
        'berth-clash',
        '-p',
        `${port}:80`,
        image,
        'httpd',
        '-f',
        '-p',
        '80',
        '-h',
        '/www',
      ]);
      const messages = await waitFor('the problem', () => vm.portProblems().get(id));
      expect(messages).toEqual([
        `Port ${port} is already in use by node (pid ${squatter.pid}) on this computer; the container's port is reachable only inside the VM.`,
      ]);
      expect(forwarded(vm, 'tcp', port)).toBe(false);
      // The host's own server keeps its port: nothing was taken from it.
      expect(await readBanner(port)).toBe('squatter\n');

      await docker(['rm', '-f', 'berth-clash']);
      await waitFor('the problem to clear', () => vm.portProblems().size === 0);
      expect(changes).toEqual([1, 0]);
    } finally {
      subscription.dispose();
      squatter.kill();
    }
  });

  it('refuses a second Berth on the same VM, and leaves the first running', async () => {
    const second = new VmService({ stateDir, imageDir, dockerContext: false });
    try {
      const refusal = await second.start().then(
        () => null,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(VmError);
      expect((refusal as Error).message).toBe(`Another Berth (pid ${process.pid}) is already running this VM.`);
      expect(second.state).toMatchObject({ kind: 'error', failure: { during: 'preparing' } });
    } finally {
      second.dispose();
    }
    expect(vm.state.kind).toBe('running');
    expect(fs.existsSync(path.join(stateDir, 'vm.lock'))).toBe(true);
    expect(await docker(['version', '--format', '{{.Server.Os}}'])).toBe('linux');
  });

  it('forwards a restart-policy container’s port again after a reboot, and cleans up on stop', async () => {
    const port = await freePort();
    await docker([
      'run',
      '-d',
      '--name',
      'berth-always',
      '--restart',
      'always',
      '-p',
      `${port}:80`,
      image,
      'httpd',
      '-f',
      '-p',
      '80',
      '-h',
      '/www',
    ]);
    await waitFor('the forward', () => forwarded(vm, 'tcp', port));

    await vm.restart();
    const runningAt = performance.now();
    await waitFor('the forward after the reboot', () => forwarded(vm, 'tcp', port), { timeoutMs: 30_000 });
    const added = forwardTimes.get(`tcp:${port}`)?.added ?? NaN;
    console.log(`VM running -> restart-policy container's forward active ${(added - runningAt).toFixed(0)} ms`);
    const page = await waitFor('the page after the reboot', async () => {
      const result = await fetchLoopbackPage(port);
      return 'body' in result ? result.body : null;
    });
    expect(page).toBe(token);
    expect(vm.dockerContext?.status).toBe('unchanged');

    await vm.stop();
    expect(vm.hostSocketPath).toBeNull();
    expect(fs.existsSync(path.join(stateDir, 'docker.sock'))).toBe(false);
    expect(fs.existsSync(path.join(stateDir, 'vm.lock'))).toBe(false);
    expect(vm.portForwards()).toEqual([]);
    expect(await fetchLoopbackPage(port)).toEqual({ error: 'ECONNREFUSED' });
    await expect(docker(['ps'])).rejects.toThrow(/docker\.sock/);
  });
});
