import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { ConnectionState } from './connection-state.js';
import { EngineConnection } from './engine-connection.js';
import { removeContainers } from '../testing/engine-fixture.js';
import { uniqueName } from '../testing/names.js';
import { BUSYBOX_IMAGE, dockerCli } from '../testing/test-images.js';
import { waitFor } from '../testing/wait-for.js';
import type { EngineEvent } from './engine-types.js';

type Unreachable = Extract<ConnectionState, { kind: 'unreachable' }>;

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');

describe('EngineConnection (real dockerd)', () => {
  const connections: EngineConnection[] = [];
  const containers: string[] = [];
  const open = (endpointSocket: string) => {
    const connection = new EngineConnection({ kind: 'unix', socketPath: endpointSocket });
    connections.push(connection);
    return connection;
  };

  afterEach(async () => {
    for (const connection of connections.splice(0)) connection.dispose();
    await removeContainers(dockerHost, containers.splice(0));
  });

  it('connects and reports the engine version, as the CLI sees it', async () => {
    const connection = open(socketPath);
    const states: ConnectionState['kind'][] = [];
    connection.onStateChange((state) => states.push(state.kind));
    connection.start();
    await waitFor('connected', () => connection.state.kind === 'connected');
    const cliVersion = await dockerCli(dockerHost, [
      'version',
      '-f',
      '{{.Server.Version}} {{.Server.APIVersion}} {{.Server.Os}}',
    ]);
    const state = connection.state;
    if (state.kind !== 'connected') throw new Error('not connected');
    expect(`${state.info.version} ${state.info.apiVersion} ${state.info.os}`).toBe(cliVersion);
    expect(state.info.arch).not.toBe('');
    expect(state.info.kernelVersion).not.toBe('');
    expect(state.endpoint).toBe(`unix://${socketPath}`);
    expect(states).toEqual(['connecting', 'connected']);
  });

  it('reports an endpoint with no socket as unreachable, naming the path, and retries with backoff', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-nowhere-'));
    const missing = join(dir, 'no-engine-here.sock');
    try {
      const connection = open(missing);
      const states: ConnectionState[] = [];
      connection.onStateChange((state) => states.push(state));
      const started = Date.now();
      connection.start();
      const isUnreachable = (state: ConnectionState): state is Unreachable => state.kind === 'unreachable';
      const third = await waitFor('the third failed attempt', () =>
        states.filter(isUnreachable).find((state) => state.attempt === 3),
      );
      const elapsed = Date.now() - started;
      const unreachable = states.filter(isUnreachable);
      expect(unreachable.map((state) => [state.attempt, state.retryInMs])).toEqual([
        [1, 250],
        [2, 500],
        [3, 1_000],
      ]);
      expect(third.reason).toBe(`No engine socket at unix://${missing}. Is dockerd running?`);
      expect(states.map((state) => state.kind)).toEqual([
        'connecting',
        'unreachable',
        'connecting',
        'unreachable',
        'connecting',
        'unreachable',
      ]);
      // Retries wait for the backoff: 250 ms + 500 ms at least before the third attempt fails.
      expect(elapsed).toBeGreaterThanOrEqual(750);
      expect(() => connection.assertConnected()).toThrow(`The engine is unreachable: No engine socket at unix://${missing}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('delivers container events through onEvent when the CLI runs and removes a container', async () => {
    const connection = open(socketPath);
    const events: EngineEvent[] = [];
    connection.onEvent((event) => events.push(event));
    connection.start();
    await waitFor('connected', () => connection.state.kind === 'connected');

    const name = uniqueName('events');
    containers.push(name);
    const id = await dockerCli(dockerHost, ['run', '-d', '--name', name, BUSYBOX_IMAGE, 'sleep', '3600']);
    const actionsFor = () => events.filter((event) => event.type === 'container' && event.id === id).map((event) => event.action);
    await waitFor('create and start events', () => actionsFor().includes('start'));
    expect(actionsFor().slice(0, 2)).toEqual(['create', 'start']);
    expect(events.find((event) => event.id === id)).toMatchObject({
      type: 'container',
      name,
      timeNano: expect.any(Number) as number,
    });

    await dockerCli(dockerHost, ['rm', '-f', name]);
    await waitFor('the destroy event', () => actionsFor().includes('destroy'));
    expect(actionsFor()).toEqual(expect.arrayContaining(['kill', 'die', 'destroy']));
    expect(actionsFor().at(-1)).toBe('destroy');
  });

  it('stops delivering events once disposed', async () => {
    const connection = open(socketPath);
    const events: EngineEvent[] = [];
    connection.onEvent((event) => events.push(event));
    connection.start();
    await waitFor('connected', () => connection.state.kind === 'connected');
    connection.dispose();
    expect(connection.state).toEqual({ kind: 'disposed' });

    // A second connection proves the event below really happened.
    const witness = open(socketPath);
    const seen: EngineEvent[] = [];
    witness.onEvent((event) => seen.push(event));
    witness.start();
    await waitFor('witness connected', () => witness.state.kind === 'connected');
    const name = uniqueName('after-dispose');
    containers.push(name);
    const id = await dockerCli(dockerHost, ['create', '--name', name, BUSYBOX_IMAGE, 'true']);
    await waitFor('the witness to see the create event', () => seen.some((event) => event.id === id));
    expect(events.filter((event) => event.id === id)).toEqual([]);
  });
});
