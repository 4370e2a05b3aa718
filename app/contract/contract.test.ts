import { describe, expect, it } from 'vitest';
import { EngineEventItemSchema, berthContract, contractEntries } from './contract.js';
import { TerminalFrameSchema } from './terminal-contract.js';
import { ConnectionStateSchema, ContainerRef, ImageRef } from './schemas.js';
import { ClientMessageSchema } from './wire.js';

const SESSION = '3b241101-e2bb-4255-8caf-4136c566a962';

/** One valid argument object per contract entry; the coverage test below keeps it complete. */
const VALID_ARGS: Record<string, Record<string, unknown>> = {
  'containers.list': {},
  'containers.listByIds': { ids: ['web', '4f2a9c0d1e7b'] },
  'containers.start': { id: 'web' },
  'containers.stop': { id: 'web' },
  'containers.restart': { id: 'web' },
  'containers.remove': { id: 'web', force: false },
  'containers.pause': { id: 'web' },
  'containers.unpause': { id: 'web' },
  'containers.kill': { id: 'web', signal: 'SIGHUP' },
  'containers.rename': { id: 'web', name: 'web-2' },
  'containers.commit': { id: 'web', reference: 'team/web:snapshot', message: null },
  'containers.inspect': { id: 'web' },
  'containers.bulk': { ids: ['web', 'db'], action: 'stop', force: false },
  'containers.project': { project: 'shop', action: 'restart' },
  'containers.logs': { id: 'web', tail: 5000, since: null, follow: true },
  'containers.logsBefore': {
    id: 'web',
    before: { time: '2026-11-23T23:55:12.298653025Z', shown: 1 },
    limit: 5000,
    since: null,
    density: 120.5,
    loaded: 5000,
  },
  'containers.logsText': { id: 'web', since: 1_700_000_000, timestamps: true },
  'containers.stats': { id: 'web' },
  'containers.statsMany': { ids: ['web', 'db'] },
  'containers.files': { id: 'web', path: '/etc' },
  'containers.download': { id: 'web', path: '/etc/hostname' },
  'containers.uploadStart': { id: 'web', directory: '/tmp', name: 'notes.txt', size: 12 },
  'containers.uploadChunk': { uploadId: SESSION, base64: 'aGVsbG8gd29ybGQK' },
  'containers.uploadFinish': { uploadId: SESSION, abort: false },
  'images.list': {},
  'images.remove': { reference: 'registry.local:5000/team/app:1.2' },
  'images.pull': { reference: '127.0.0.1:5000/team/app:1.2' },
  'images.push': { reference: '127.0.0.1:5000/team/app:1.2' },
  'images.tag': { source: 'busybox', target: '127.0.0.1:5000/busybox:1' },
  'images.inspect': { reference: 'busybox:latest' },
  'images.prune': {},
  'images.login': { registry: '127.0.0.1:5000', username: 'alice', password: 'secret' },
  'images.logout': { registry: '127.0.0.1:5000' },
  'images.logins': {},
  'images.build': { contextPath: '/home/ada/app', dockerfile: 'Dockerfile', tag: 'app:dev', noCache: false },
  'images.run': {
    image: 'busybox',
    name: 'web',
    command: 'httpd -f -p 80',
    env: ['A=1'],
    ports: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
    volumes: [{ source: 'data', target: '/data', readOnly: false }],
    restart: 'unless-stopped',
    autoRemove: false,
    interactive: true,
  },
  'volumes.list': {},
  'volumes.create': { name: 'app-data' },
  'volumes.remove': { name: 'app-data' },
  'volumes.detail': { name: 'app-data' },
  'volumes.usage': { name: 'app-data' },
  'volumes.browse': { name: 'app-data', path: '/logs/today' },
  'volumes.readFile': { name: 'app-data', path: '/logs/today/app.log' },
  'volumes.prune': {},
  'volumes.exportTar': { name: 'app-data' },
  'system.portHolder': { port: 8080 },
  'volumes.importBegin': { name: 'app-data-restored', size: 10240 },
  'volumes.importChunk': { importId: SESSION, base64: 'aGVsbG8gd29ybGQK' },
  'volumes.importFinish': { importId: SESSION },
  'volumes.importCancel': { importId: SESSION },
  'volumes.clone': { source: 'app-data', target: 'app-data-copy' },
  'networks.list': {},
  'networks.create': { name: 'backend', subnet: '172.30.0.0/16' },
  'networks.remove': { id: 'backend' },
  'networks.connect': { network: 'backend', container: 'web' },
  'networks.disconnect': { network: '4f2a9c0d1e7b', container: 'web' },
  'logs.explore': { ids: null, project: 'shop', tail: 1_000 },
  'system.diskUsage': {},
  'system.prune': { kind: 'build-cache' },
  'system.diagnose': {},
  'system.diagnosticsDownload': { name: 'berth-diagnostics-20261207-053012.tar.gz' },
  'settings.list': {},
  'settings.set': { key: 'vm.cpus', value: 2 },
  'settings.watch': {},
  'engine.state': {},
  'engine.events': {},
  'terminal.open': {
    containerId: 'web',
    mode: 'shell',
    shell: '/bin/bash',
    user: 'app:staff',
    workdir: '/srv',
    cols: 80,
    rows: 24,
  },
  'terminal.list': {},
  'terminal.attach': { sessionId: SESSION },
  'terminal.close': { sessionId: SESSION },
  'terminal.input': { sessionId: SESSION, data: 'ls\r' },
  'terminal.resize': { sessionId: SESSION, cols: 120, rows: 40 },
  'engines.list': {},
  'engines.add': { name: 'build box', address: 'ssh://me@build.example:2222', tls: null },
  'engines.remove': { id: 'build-box-a1b2c3' },
  'engines.use': { id: 'vm' },
  'engines.check': { id: 'local' },
  'app.info': {},
  'app.quit': {},
  'machine.status': {},
  'machine.start': {},
  'machine.stop': {},
  'machine.restart': {},
  'machine.factoryReset': {},
  'machine.rebuildImage': {},
  'machine.settings': {},
  'machine.updateSettings': {
    cpus: 2,
    memoryMiB: 2048,
    diskGiB: 64,
    sharedFolders: ['/home/ada'],
    startOnLaunch: true,
    restAfterMinutes: 5,
  },
  'compose.up': { file: '/home/ada/shop/compose.yaml', projectName: null },
  'compose.down': { project: 'shop' },
  'compose.restart': { project: 'shop' },
  'compose.chooseFile': {},
};

const ARGS = new Map(contractEntries().map(([name, definition]) => [name, definition.args]));

function argsOf(name: string) {
  const schema = ARGS.get(name);
  if (!schema) throw new Error(`No contract entry ${name}`);
  return schema;
}

describe('the contract', () => {
  it('lists every method and stream as namespace.name, each with a valid-arguments example here', () => {
    expect(
      contractEntries()
        .map(([name]) => name)
        .sort(),
    ).toEqual(Object.keys(VALID_ARGS).sort());
  });

  it('gives every stream a positive flow-control window', () => {
    for (const [name, definition] of contractEntries()) {
      if (definition.kind === 'stream') expect(definition.window, name).toBeGreaterThan(0);
    }
    expect(berthContract.engine.events.window).toBe(256);
  });

  it.each(Object.entries(VALID_ARGS))('%s accepts valid arguments', (name, args) => {
    expect(argsOf(name).safeParse(args).success).toBe(true);
  });

  it.each(Object.entries(VALID_ARGS))('%s rejects an unknown field (strict)', (name, args) => {
    const result = argsOf(name).safeParse({ ...args, sneaky: true });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['sneaky'] });
  });

  it.each([
    ['containers.start', { id: 42 }, ['id']],
    ['containers.remove', { id: 'web', force: 'yes' }, ['force']],
    ['containers.remove', { id: 'web' }, ['force']],
    ['containers.listByIds', { ids: 'web' }, ['ids']],
    ['containers.listByIds', { ids: [1] }, ['ids', 0]],
    ['images.remove', { reference: null }, ['reference']],
    ['volumes.create', { name: ['a', 'b'] }, ['name']],
    ['terminal.open', { containerId: 'web', mode: 'shell', cols: '80', rows: 24 }, ['cols']],
    ['terminal.input', { sessionId: SESSION, data: 7 }, ['data']],
    ['terminal.input', { sessionId: 'not-a-uuid', data: 'x' }, ['sessionId']],
    ['logs.explore', { ids: [], project: null, tail: 10 }, ['ids']],
    ['logs.explore', { ids: null, project: null, tail: 0 }, ['tail']],
    ['logs.explore', { ids: null, project: null, tail: 100_001 }, ['tail']],
  ] as const)('%s rejects %j at %j', (name, args, path) => {
    const result = argsOf(name).safeParse(args);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toContainEqual(path);
  });

  it('rejects arguments that are not an object', () => {
    for (const value of [null, 'web', 42, [], undefined]) expect(argsOf('containers.start').safeParse(value).success).toBe(false);
  });

  it('bounds listByIds to 1..500 ids', () => {
    const schema = argsOf('containers.listByIds');
    expect(schema.safeParse({ ids: [] }).success).toBe(false);
    expect(schema.safeParse({ ids: Array.from({ length: 500 }, (_, i) => `c${i}`) }).success).toBe(true);
    expect(schema.safeParse({ ids: Array.from({ length: 501 }, (_, i) => `c${i}`) }).success).toBe(false);
  });

  it('says what is wrong with a logs explorer request', () => {
    const messages = (args: unknown) =>
      argsOf('logs.explore')
        .safeParse(args)
        .error?.issues.map((issue) => issue.message);
    expect(messages({ ids: [], project: null, tail: 10 })).toEqual(['Name at least one container, or none (null) for all.']);
    expect(messages({ ids: null, project: null, tail: 200_000 })).toEqual(['At most 100,000 lines per container.']);
  });

  it('bounds terminal input to 64 KiB', () => {
    const schema = argsOf('terminal.input');
    expect(schema.safeParse({ sessionId: SESSION, data: 'x'.repeat(65_536) }).success).toBe(true);
    expect(schema.safeParse({ sessionId: SESSION, data: 'x'.repeat(65_537) }).success).toBe(false);
  });
});

describe('volume names', () => {
  it.each(['db', 'app-data', 'v1.2_x', '9lives'])('accepts %s', (name) => {
    expect(argsOf('volumes.create').safeParse({ name }).success).toBe(true);
    expect(argsOf('volumes.remove').safeParse({ name }).success).toBe(true);
  });

  it.each([
    ['a', 'at least 2 characters'],
    ['', 'at least 2 characters'],
    ['x'.repeat(256), 'at most 255 characters'],
    ['-data', 'starts with a letter or digit'],
    ['my data', 'starts with a letter or digit'],
    ['../etc', 'starts with a letter or digit'],
    ['data/sub', 'starts with a letter or digit'],
  ])('rejects %j: %s', (name, message) => {
    const result = argsOf('volumes.create').safeParse({ name });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(message);
  });
});

describe('terminal dimensions', () => {
  const session = (cols: unknown, rows: unknown) =>
    argsOf('terminal.open').safeParse({ containerId: 'web', mode: 'shell', cols, rows });
  const resize = (cols: unknown, rows: unknown) => argsOf('terminal.resize').safeParse({ sessionId: SESSION, cols, rows });

  it.each([
    [1, 1],
    [2000, 2000],
  ])('accept %i x %i', (cols, rows) => {
    expect(session(cols, rows).success).toBe(true);
    expect(resize(cols, rows).success).toBe(true);
  });

  it.each([
    [0, 24],
    [80, 0],
    [-1, 24],
    [80, -24],
    [2001, 24],
    [80.5, 24],
    [Number.NaN, 24],
    [Number.POSITIVE_INFINITY, 24],
  ])('reject %s x %s', (cols, rows) => {
    expect(session(cols, rows).success).toBe(false);
    expect(resize(cols, rows).success).toBe(false);
  });
});

describe('references', () => {
  it.each(['web', 'my_app.1', '4f2a9c0d1e7b', 'a'.repeat(64)])('ContainerRef accepts %s', (ref) => {
    expect(ContainerRef.safeParse(ref).success).toBe(true);
  });

  it.each(['', '-rm', '--force', 'a b', '../x', '/web', 'a'.repeat(257)])('ContainerRef rejects %j', (ref) => {
    expect(ContainerRef.safeParse(ref).success).toBe(false);
  });

  it.each(['busybox', 'busybox:1.36', 'registry:5000/team/app:1.2', 'sha256:abc123', `app@sha256:${'a'.repeat(64)}`])(
    'ImageRef accepts %s',
    (ref) => {
      expect(ImageRef.safeParse(ref).success).toBe(true);
    },
  );

  it.each(['', ' busybox', 'busy box', '-f', 'x?y', 'x//images', 'o.@:Sv2//:', 'app/', 'a@b', 'a@sha256:12'])(
    'ImageRef rejects %j',
    (ref) => {
      expect(ImageRef.safeParse(ref).success).toBe(false);
    },
  );
});

describe('stream items and results', () => {
  it('accepts each terminal frame and rejects an unknown kind', () => {
    expect(TerminalFrameSchema.safeParse({ kind: 'output', data: new TextEncoder().encode('hi') }).success).toBe(true);
    expect(TerminalFrameSchema.safeParse({ kind: 'output', data: 'hi' }).success).toBe(false); // bytes, not text
    expect(TerminalFrameSchema.safeParse({ kind: 'closed' }).success).toBe(false);
  });

  it('accepts engine events and overflow notices', () => {
    const event = { type: 'container', action: 'start', id: 'abc', name: 'web', timeNano: 1 };
    expect(EngineEventItemSchema.safeParse({ kind: 'event', event }).success).toBe(true);
    expect(EngineEventItemSchema.safeParse({ kind: 'overflow', dropped: 12 }).success).toBe(true);
    expect(EngineEventItemSchema.safeParse({ kind: 'event', event: { ...event, type: 'plugin' } }).success).toBe(false);
  });

  it('accepts every connection state', () => {
    const info = { version: '20.10', apiVersion: '1.41', os: 'linux', arch: 'amd64', kernelVersion: '6.1' };
    for (const state of [
      { kind: 'idle' },
      { kind: 'connecting', endpoint: 'unix:///s', attempt: 1 },
      { kind: 'connected', endpoint: 'unix:///s', info },
      { kind: 'unreachable', endpoint: 'unix:///s', reason: 'gone', attempt: 2, retryInMs: 500 },
      { kind: 'disposed' },
    ]) {
      expect(ConnectionStateSchema.safeParse(state).success, state.kind).toBe(true);
    }
  });
});

describe('wire messages', () => {
  it.each([
    { t: 'call', id: 1, method: 'containers.list', args: {} },
    { t: 'subscribe', id: 2, stream: 'engine.events', args: {} },
    { t: 'unsubscribe', id: 2 },
    { t: 'ack', id: 2, count: 16 },
  ])('accepts %j', (message) => {
    expect(ClientMessageSchema.safeParse(message).success).toBe(true);
  });

  it.each([
    { t: 'call', id: -1, method: 'containers.list', args: {} },
    { t: 'call', id: 1.5, method: 'containers.list', args: {} },
    { t: 'call', id: 1, method: 'x'.repeat(101), args: {} },
    { t: 'call', id: 1, method: 'containers.list', args: {}, extra: 1 },
    { t: 'ack', id: 2, count: 0 },
    { t: 'ack', id: 2, count: 1_000_001 },
    { t: 'result', id: 1, value: null },
    { id: 1 },
    'call',
    null,
  ])('rejects %j', (message) => {
    expect(ClientMessageSchema.safeParse(message).success).toBe(false);
  });
});
