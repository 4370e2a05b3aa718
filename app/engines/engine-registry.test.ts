import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Emitter } from '../../base/index.js';
import type { ConnectionState, EngineEndpoint } from '../../engine/core/index.js';
import { describeEndpoint } from '../../engine/core/index.js';
import type { EngineStatus } from '../contract/engines-contract.js';
import { createFileEngineListStore, createMemoryEngineListStore, type EngineListStore } from './engine-list-store.js';
import { EngineRegistry, type SwitchableConnection } from './engine-registry.js';

const VM: EngineEndpoint = { kind: 'unix', socketPath: '/state/vm/docker.sock' };

/** A connection double that records where it was pointed and reports "connected" there. */
function fakeConnection(): SwitchableConnection & { moves: EngineEndpoint[]; states: Emitter<ConnectionState> } {
  const states = new Emitter<ConnectionState>();
  let endpoint = VM;
  let state: ConnectionState = { kind: 'idle' };
  const moves: EngineEndpoint[] = [];
  return {
    moves,
    states,
    get endpoint() {
      return endpoint;
    },
    get state() {
      return state;
    },
    onStateChange: states.event,
    useEndpoint(next) {
      endpoint = next;
      moves.push(next);
      state = {
        kind: 'connected',
        endpoint: describeEndpoint(next),
        info: { version: '26.1.5', apiVersion: '1.45', os: 'linux', arch: 'amd64', kernelVersion: '6.12' },
      };
      states.fire(state);
    },
  };
}

function registry(
  store: EngineListStore = createMemoryEngineListStore(),
  probe = async (): Promise<EngineStatus> => ({ kind: 'unreachable', reason: 'No answer' }),
) {
  const connection = fakeConnection();
  const engines = new EngineRegistry({
    connection,
    store,
    probe,
    builtIns: [{ id: 'vm', name: "Berth's VM", endpoint: VM, description: "Berth's VM (QEMU)" }],
  });
  return { connection, engines, store };
}

const SSH = { name: 'Build box', address: 'ssh://me@build:2222', tls: null };

describe('EngineRegistry', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('lists its VM first, in use, and an added ssh engine with the status its probe found', async () => {
    const { engines } = registry();
    const added = engines.add(SSH);
    expect(added).toMatchObject({
      name: 'Build box',
      kind: 'ssh',
      address: 'ssh://me@build:2222',
      removable: true,
      active: false,
    });
    expect(added.id).toMatch(/^build-box-[0-9a-f]{6}$/);
    await engines.check(added.id);
    expect(engines.list().engines).toEqual([
      expect.objectContaining({ id: 'vm', address: "Berth's VM (QEMU)", active: true, removable: false }),
      expect.objectContaining({ id: added.id, status: { kind: 'unreachable', reason: 'No answer' } }),
    ]);
  });

  it('switches the one connection to the chosen engine, and keeps the VM from taking it back on a boot', () => {
    const { connection, engines } = registry();
    const { id } = engines.add(SSH);
    engines.use(id);
    expect(connection.moves).toEqual([{ kind: 'ssh', user: 'me', host: 'build', port: 2222 }]);
    expect(engines.list().engines.find((engine) => engine.id === id)).toMatchObject({
      active: true,
      status: { kind: 'reachable', version: '26.1.5' },
    });

    engines.vmTarget.useEndpoint(VM); // the VM finished booting meanwhile
    expect(connection.moves).toHaveLength(1);
    engines.use('vm');
    engines.vmTarget.useEndpoint(VM);
    expect(connection.moves).toEqual([{ kind: 'ssh', user: 'me', host: 'build', port: 2222 }, VM, VM]);
  });

  it('refuses to remove the engine in use or a built-in one, and a second entry for one address', () => {
    const { engines } = registry();
    const { id } = engines.add(SSH);
    expect(() => engines.add({ ...SSH, name: 'Again' })).toThrow('ssh://me@build:2222 is already in the list, as "Build box".');
    engines.use(id);
    expect(() => engines.remove(id)).toThrow('This engine is in use: switch to another one before removing it.');
    expect(() => engines.remove('vm')).toThrow('Berth’s own engines cannot be removed.');
    expect(() => engines.use('nope')).toThrow('No engine "nope" in the list.');
    engines.use('vm');
    engines.remove(id);
    expect(engines.list().engines.map((engine) => engine.id)).toEqual(['vm']);
  });

  it('refuses a tcp engine whose TLS files cannot be read, naming the file', () => {
    const { engines } = registry();
    const tls = { ca: '/nonexistent/ca.pem', cert: '/nonexistent/cert.pem', key: '/nonexistent/key.pem' };
    expect(() => engines.add({ name: 'prod', address: 'tcp://prod:2376', tls })).toThrow(
      'Cannot read the CA certificate at /nonexistent/ca.pem: there is no such file.',
    );
  });

  it('keeps the list and the engine in use in engines.json, and goes back to that engine at the next launch', () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-engines-'));
    dirs.push(dir);
    const path = join(dir, 'engines.json');
    const first = registry(createFileEngineListStore(path));
    const { id } = first.engines.add(SSH);
    first.engines.use(id);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 1, active: id, engines: [{ id, ...SSH }] });

    const next = registry(createFileEngineListStore(path));
    expect(next.engines.active).toBe('vm');
    next.engines.restoreSaved();
    expect(next.engines.active).toBe(id);
    expect(next.connection.moves).toEqual([{ kind: 'ssh', user: 'me', host: 'build', port: 2222 }]);
  });

  it('sets a damaged engines.json aside instead of overwriting it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-engines-'));
    dirs.push(dir);
    const path = join(dir, 'engines.json');
    writeFileSync(path, '{ not json');
    expect(createFileEngineListStore(path).load()).toEqual({ version: 1, active: null, engines: [] });
    expect(readFileSync(`${path}.damaged`, 'utf8')).toBe('{ not json');
  });

  it('tells subscribers about its own changes and the connection’s, and lets go when disposed', () => {
    const { engines, connection } = registry();
    let changes = 0;
    const subscription = engines.onChange(() => (changes += 1));
    engines.add(SSH);
    connection.states.fire({ kind: 'idle' });
    expect(changes).toBeGreaterThanOrEqual(2);
    subscription.dispose();
    expect(connection.states.listenerCount).toBe(0);
  });
});
