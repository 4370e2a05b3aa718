/**
 * EngineConnection against a fake engine on a unix socket: the parts a real dockerd cannot be made to
 * do on demand (go away and come back, split an event across chunks, send a malformed line).
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionState } from './connection-state.js';
import {
  EngineConnection,
  createDockerode,
  describeConnectError,
  toEngineEvent,
  type EngineConnectionOptions,
} from './engine-connection.js';
import type { EngineEndpoint } from './endpoint.js';
import { waitFor } from '../testing/wait-for.js';
import type { EngineEvent } from './engine-types.js';

const VERSION = { Version: '99.0.0-fake', ApiVersion: '1.41', Os: 'linux', Arch: 'amd64', KernelVersion: '6.1.0-fake' };

class FakeEngine {
  private server: http.Server | undefined;
  private readonly eventStreams = new Set<http.ServerResponse>();
  /** Requests held unanswered while silent: an engine behind a cut network link. */
  private readonly held = new Set<() => void>();
  private silent = false;
  /** `_ping`s answered (the connect's and the heartbeat's). */
  pings = 0;

  constructor(readonly socketPath: string) {}

  async listen(): Promise<void> {
    const server = http.createServer((request, response) => {
      if (this.silent) {
        this.held.add(() => answer(request, response));
        return;
      }
      answer(request, response);
    });
    const answer = (request: http.IncomingMessage, response: http.ServerResponse) => {
      const path = new URL(request.url ?? '/', 'http://engine').pathname;
      if (path.endsWith('/_ping')) this.pings += 1;
      if (path.endsWith('/_ping')) return void response.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
      if (path.endsWith('/version'))
        return void response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(VERSION));
      if (path.endsWith('/events')) {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.flushHeaders();
        this.eventStreams.add(response);
        response.on('close', () => this.eventStreams.delete(response));
        return;
      }
      if (path.endsWith('/containers/json'))
        return void response.writeHead(200, { 'Content-Type': 'application/json' }).end('[]');
      response.writeHead(404).end();
    };
    await new Promise<void>((resolve) => server.listen(this.socketPath, resolve));
    this.server = server;
  }

  /** Accepts connections and requests but answers none, until speak(). */
  goSilent(): void {
    this.silent = true;
  }

  /** Answers again, the held requests first (as TCP retransmission delivers them after a link comes back). */
  speak(): void {
    this.silent = false;
    for (const answer of this.held) answer();
    this.held.clear();
  }

  get listeners(): number {
    return this.eventStreams.size;
  }

  send(text: string): void {
    for (const stream of this.eventStreams) stream.write(text);
  }

  /** The engine goes away: every connection drops and the socket file is removed. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const stream of this.eventStreams) stream.end(); // as dockerd does when it shuts down
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function containerEvent(action: string, id: string, name: string): string {
  return JSON.stringify({
    Type: 'container',
    Action: action,
    Actor: { ID: id, Attributes: { name } },
    timeNano: 1_700_000_000_000_000_000,
  });
}

describe('EngineConnection (fake engine)', () => {
  let dir: string;
  let engine: FakeEngine;
  let connection: EngineConnection | undefined;
  let endpoint: EngineEndpoint;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-fake-engine-'));
    engine = new FakeEngine(join(dir, 'engine.sock'));
    endpoint = { kind: 'unix', socketPath: engine.socketPath };
    await engine.listen();
  });

  afterEach(async () => {
    connection?.dispose();
    connection = undefined;
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function connect(
    options: EngineConnectionOptions = {},
  ): Promise<{ connection: EngineConnection; states: ConnectionState[]; events: EngineEvent[] }> {
    const current = new EngineConnection(endpoint, {}, options);
    connection = current;
    const states: ConnectionState[] = [];
    const events: EngineEvent[] = [];
    current.onStateChange((state) => states.push(state));
    current.onEvent((event) => events.push(event));
    current.start();
    await waitFor('connected', () => current.state.kind === 'connected');
    await waitFor('the event stream to be open', () => engine.listeners === 1);
    return { connection: current, states, events };
  }

  it('connects and reports the engine version', async () => {
    const { connection, states } = await connect();
    expect(states.map((state) => state.kind)).toEqual(['connecting', 'connected']);
    expect(connection.state).toEqual({
      kind: 'connected',
      endpoint: `unix://${engine.socketPath}`,
      info: { version: '99.0.0-fake', apiVersion: '1.41', os: 'linux', arch: 'amd64', kernelVersion: '6.1.0-fake' },
    });
    expect(() => connection.assertConnected()).not.toThrow();
  });

  it('parses events split across chunks, skips malformed lines and untracked types', async () => {
    const { events } = await connect();
    const line = containerEvent('start', 'abc123', 'web');
    engine.send(line.slice(0, 20));
    engine.send(`${line.slice(20)}\n{not json}\n`);
    engine.send(`${JSON.stringify({ Type: 'daemon', Action: 'reload', Actor: { ID: 'x' } })}\n`);
    engine.send(`${containerEvent('die', 'abc123', 'web')}\n`);
    await waitFor('two events', () => events.length >= 2);
    expect(events).toEqual([
      { type: 'container', action: 'start', id: 'abc123', name: 'web', timeNano: 1_700_000_000_000_000_000 },
      { type: 'container', action: 'die', id: 'abc123', name: 'web', timeNano: 1_700_000_000_000_000_000 },
    ]);
  });

  it('notices a lost engine through the event stream, retries at once, backs off, and reconnects when it returns', async () => {
    const { connection, states } = await connect();
    await engine.stop();
    await waitFor('the first retry to fail', () => states.find((state) => state.kind === 'unreachable' && state.attempt === 1));
    expect(() => connection.assertConnected()).toThrow(/unreachable/);
    const afterLoss = states.slice(2);
    expect(afterLoss[0]).toEqual({
      kind: 'unreachable',
      endpoint: `unix://${engine.socketPath}`,
      reason: 'The engine closed the connection.',
      attempt: 0,
      retryInMs: 0,
    });
    expect(afterLoss[1]).toMatchObject({ kind: 'connecting', attempt: 1 });
    expect(afterLoss[2]).toMatchObject({ kind: 'unreachable', attempt: 1, retryInMs: 250 });
    expect((afterLoss[2] as { reason: string }).reason).toContain(engine.socketPath);

    await engine.listen();
    await waitFor('reconnected', () => connection.state.kind === 'connected');
    await waitFor('the event stream to be open again', () => engine.listeners === 1);
  });

  it('tries again as soon as a lost local engine makes its socket anew, not when the backoff ends', async () => {
    const { connection } = await connect();
    await engine.stop();
    await waitFor('a 1 s backoff', () => connection.state.kind === 'unreachable' && connection.state.retryInMs >= 1_000);
    const before = Date.now();
    await engine.listen();
    await waitFor('reconnected', () => connection.state.kind === 'connected');
    expect(Date.now() - before).toBeLessThan(500);
  });

  it('with a heartbeat, notices an engine that stops answering and reconnects by itself; what waits on it is answered or ended', async () => {
    const { connection, states } = await connect({
      heartbeat: { intervalMs: 50, timeoutMs: 150 },
      connectTimeoutMs: 300,
      abandonRequestsAfterMs: 1_500,
    });
    const ask = () =>
      connection.docker.listContainers().then(
        () => 'answered',
        (error: Error) => `failed: ${error.message}`,
      );

    // Silent for a moment: noticed, and the request sent meanwhile is answered when the engine speaks again.
    // Timed when the state changes, not when a poll sees it: a timed-out attempt on a socket that is
    // there is retried at once, so unreachable lasts only a moment.
    let unreachableAt = 0;
    connection.onStateChange((state) => {
      if (state.kind === 'unreachable' && unreachableAt === 0) unreachableAt = Date.now();
    });
    engine.goSilent();
    const silentAt = Date.now();
    const answeredLater = ask();
    await waitFor('unreachable', () => unreachableAt > 0);
    expect(unreachableAt - silentAt).toBeLessThan(1_000);
    expect(states[2]).toEqual({
      kind: 'unreachable',
      endpoint: `unix://${engine.socketPath}`,
      reason: `The engine at unix://${engine.socketPath} stopped answering (no reply to a ping within 0.15 s).`,
      attempt: 0,
      retryInMs: 0,
    });
    await waitFor('the retry', () => states.length >= 4);
    // Retrying or backed off, a request made now says why.
    expect(() => connection.assertConnected()).toThrow(
      /^The engine is unreachable: .*(stopped answering|did not answer in time)/,
    );
    expect(states[3]).toMatchObject({ kind: 'connecting', attempt: 1, lastFailure: (states[2] as { reason: string }).reason });
    engine.speak();
    expect(await answeredLater).toBe('answered');
    await waitFor('reconnected without a restart', () => connection.state.kind === 'connected', { timeoutMs: 5_000 });

    // Silent for good: the request still waiting ends after abandonRequestsAfterMs instead of waiting forever.
    engine.goSilent();
    const endedAt = Date.now();
    const ended = await ask();
    expect(ended).toMatch(/^failed: /);
    expect(Date.now() - endedAt).toBeGreaterThanOrEqual(1_400);
    expect(states).toContainEqual(
      expect.objectContaining({
        kind: 'unreachable',
        reason: `The engine at unix://${engine.socketPath} did not answer in time.`,
      }),
    );
    engine.speak();
    // Its backoff has grown by now (an attempt cut by the abandon is not a timeout): up to 4 s.
    await waitFor('reconnected again', () => connection.state.kind === 'connected', { timeoutMs: 10_000 });
    await expect(connection.docker.listContainers()).resolves.toEqual([]);
  }, 20_000);

  it('with a heartbeat answered elsewhere (pingVia), never pings the engine itself, and a failed beat is a lost engine', async () => {
    let beats = 0;
    let failWith: string | null = null;
    let useOwnPing = false;
    const pingVia = () =>
      useOwnPing
        ? null
        : async () => {
            beats += 1;
            if (failWith) throw new Error(failWith);
          };
    const { connection } = await connect({ heartbeat: { intervalMs: 30, timeoutMs: 500, pingVia } });
    const pingsAfterConnect = engine.pings;
    await waitFor('a few beats', () => beats >= 5);
    expect(engine.pings).toBe(pingsAfterConnect);

    // null from pingVia: the connection's own ping again.
    useOwnPing = true;
    await waitFor('the engine pinged by the heartbeat', () => engine.pings >= pingsAfterConnect + 3);
    useOwnPing = false;

    failWith = 'The VM stopped answering.';
    await waitFor('unreachable', () => connection.state.kind !== 'connected');
    failWith = null;
    await waitFor('connected again', () => connection.state.kind === 'connected', { timeoutMs: 5_000 });
  });

  it('with a heartbeat not active for the engine in use, pings nothing and loses nothing; active again, it beats', async () => {
    let active = false;
    const { connection } = await connect({ heartbeat: { intervalMs: 30, timeoutMs: 100, active: () => active } });
    const pingsAfterConnect = engine.pings;
    engine.goSilent();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(engine.pings).toBe(pingsAfterConnect);
    expect(connection.state.kind).toBe('connected');
    engine.speak();
    active = true;
    await waitFor('the heartbeat pinging', () => engine.pings >= pingsAfterConnect + 3);
  });

  it("keeps a request's cost flat however many connections its client holds (docker-modem inspects every request's options)", async () => {
    const docker = createDockerode(endpoint);
    const agent = (docker.modem as unknown as { agent: http.Agent }).agent;
    // Twenty requests at once: the agent holds twenty sockets, each a deep object graph of its own.
    await Promise.all(Array.from({ length: 20 }, () => docker.listContainers()));
    expect(Object.values(agent.freeSockets).flat().length).toBeGreaterThan(1);
    // As docker-modem writes out a request's options (with the agent) before every request.
    expect(inspect({ agent }, { showHidden: true, depth: null }).length).toBeLessThan(200);
    agent.destroy();
  });

  it('moves to a new endpoint at once: from idle, from a backed-off retry, and from a live connection', async () => {
    const second = new FakeEngine(join(dir, 'second.sock'));
    await second.listen();
    try {
      const missing: EngineEndpoint = { kind: 'unix', socketPath: join(dir, 'not-yet.sock') };
      const current = new EngineConnection(missing);
      connection = current;
      current.start();
      await waitFor('the missing engine to be unreachable', () => current.state.kind === 'unreachable');
      await waitFor('a 1 s backoff', () => current.state.kind === 'unreachable' && current.state.retryInMs >= 1_000);
      const before = Date.now();
      current.useEndpoint(endpoint);
      await waitFor('connected to the first engine', () => current.state.kind === 'connected');
      expect(Date.now() - before).toBeLessThan(900); // not after the 1 s backoff

      current.useEndpoint({ kind: 'unix', socketPath: second.socketPath });
      // The event stream opens before the version is asked: connected comes a moment after it.
      await waitFor(
        'the event stream to move',
        () => engine.listeners === 0 && second.listeners === 1 && current.state.kind === 'connected',
      );
      expect(current.endpoint).toEqual({ kind: 'unix', socketPath: second.socketPath });

      const idle = new EngineConnection(missing);
      idle.useEndpoint(endpoint);
      await waitFor('an idle connection to start on its new endpoint', () => idle.state.kind === 'connected');
      idle.dispose();
    } finally {
      await second.stop();
    }
  });

  it('stops retrying and fires one "disposed" when disposed, even twice', async () => {
    const { connection, states } = await connect();
    connection.dispose();
    connection.dispose();
    expect(states.map((state) => state.kind)).toEqual(['connecting', 'connected', 'disposed']);
    await waitFor('the event stream to close', () => engine.listeners === 0);
    expect(() => connection.assertConnected()).toThrow('the engine connection is disposed');
  });
});

describe('toEngineEvent', () => {
  it("maps the engine's event", () => {
    expect(
      toEngineEvent({ Type: 'volume', Action: 'create', Actor: { ID: 'data', Attributes: { driver: 'local' } }, timeNano: 5 }),
    ).toEqual({ type: 'volume', action: 'create', id: 'data', name: null, timeNano: 5 });
  });

  it("keeps a container's exit status on its die event, and only there", () => {
    const die = {
      Type: 'container',
      Action: 'die',
      Actor: { ID: 'c1', Attributes: { name: 'web', exitCode: '3' } },
      timeNano: 9,
    };
    expect(toEngineEvent(die)).toEqual({ type: 'container', action: 'die', id: 'c1', name: 'web', timeNano: 9, exitCode: 3 });
    expect(toEngineEvent({ ...die, Action: 'start' })).not.toHaveProperty('exitCode');
    expect(toEngineEvent({ ...die, Actor: { ID: 'c1', Attributes: { exitCode: 'x' } } })).not.toHaveProperty('exitCode');
  });

  it.each([
    [{ Type: 'plugin', Action: 'enable', Actor: { ID: 'p' } }],
    [{ Type: 'container', Actor: { ID: 'c' } }],
    [{ Type: 'container', Action: 'start' }],
    [{ Type: 'container', Action: 'start', Actor: {} }],
    [{}],
  ])('ignores %j', (raw) => {
    expect(toEngineEvent(raw)).toBeNull();
  });
});

describe('describeConnectError', () => {
  const endpoint: EngineEndpoint = { kind: 'unix', socketPath: '/run/berth/engine.sock' };

  it.each([
    ['ENOENT', 'No engine socket at unix:///run/berth/engine.sock. Is dockerd running?'],
    ['ECONNREFUSED', 'The engine refused the connection at unix:///run/berth/engine.sock. Is dockerd running?'],
    ['EACCES', 'Permission denied opening unix:///run/berth/engine.sock.'],
  ])('explains %s', (code, reason) => {
    expect(describeConnectError(Object.assign(new Error('x'), { code }), endpoint)).toBe(reason);
  });

  it('falls back to the error message', () => {
    expect(describeConnectError(new Error('socket hang up'), endpoint)).toBe(
      'Cannot reach the engine at unix:///run/berth/engine.sock: socket hang up',
    );
  });
});
