import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ContainerService } from './container-service.js';
import { EngineConnection } from '../core/index.js';
import { connectTestEngine, engineError, removeContainers } from '../testing/engine-fixture.js';
import { uniqueName } from '../testing/names.js';
import { BUSYBOX_IMAGE, dockerCli } from '../testing/test-images.js';

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('ContainerFiles (real dockerd)', () => {
  let connection: EngineConnection;
  let service: ContainerService;
  const created: string[] = [];

  /** A stopped container (the archive API works without a running process) with a small tree. */
  const prepared = async () => {
    const name = uniqueName('files');
    created.push(name);
    await dockerCli(dockerHost, [
      'run',
      '--name',
      name,
      BUSYBOX_IMAGE,
      'sh',
      '-c',
      'mkdir -p /data/sub/deeper && echo hello > /data/greeting.txt && echo deep > /data/sub/deeper/x && ln -s /data /data-link && ln -s greeting.txt /data/alias',
    ]);
    return name;
  };

  beforeAll(async () => {
    connection = await connectTestEngine(socketPath);
    service = new ContainerService(connection);
  });
  afterEach(async () => {
    await removeContainers(dockerHost, created.splice(0));
  });
  afterAll(() => connection.dispose());

  it('lists a folder’s direct children, folders first, with types, sizes and link targets', async () => {
    const name = await prepared();
    const listing = await service.files.list(name, '/data/');
    expect(listing.path).toBe('/data');
    expect(listing.truncated).toBe(false);
    expect(listing.entries.map((entry) => [entry.name, entry.type, entry.size, entry.linkTarget])).toEqual([
      ['sub', 'directory', 0, null],
      ['alias', 'symlink', 0, 'greeting.txt'],
      ['greeting.txt', 'file', 6, null],
    ]);
    expect(listing.entries[2]!.permissions).toBe('rw-r--r--');
  });

  it('lists the root and follows a link to a folder', async () => {
    const name = await prepared();
    const root = await service.files.list(name, '/');
    expect(root.entries.map((entry) => entry.name)).toEqual(expect.arrayContaining(['bin', 'data', 'data-link', 'etc']));
    expect((await service.files.list(name, '/data-link')).entries.map((entry) => entry.name)).toContain('greeting.txt');
  });

  it('says what is wrong with a file or a missing path', async () => {
    const name = await prepared();
    const file = await engineError(service.files.list(name, '/data/greeting.txt'));
    expect(file.message).toBe('/data/greeting.txt is a file, not a folder.');
    const missing = await engineError(service.files.list(name, '/nowhere'));
    expect(missing.code).toBe('not-found');
    expect(missing.message).toBe(`There is no /nowhere in container ${name}.`);
  });

  it('downloads a file as itself (through a link too) and a folder as a tar', async () => {
    const name = await prepared();
    const file = await service.files.download(name, '/data/alias', new AbortController().signal);
    expect(file.info).toEqual({ fileName: 'greeting.txt', kind: 'file', size: 6 });
    expect((await collect(file.chunks)).toString()).toBe('hello\n');

    const folder = await service.files.download(name, '/data', new AbortController().signal);
    expect(folder.info).toEqual({ fileName: 'data.tar', kind: 'tar', size: null });
    const dir = mkdtempSync(join(tmpdir(), 'berth-files-'));
    try {
      writeFileSync(join(dir, 'data.tar'), await collect(folder.chunks));
      await promisify(execFile)('tar', ['-xf', join(dir, 'data.tar'), '-C', dir]);
      expect(readFileSync(join(dir, 'data', 'sub', 'deeper', 'x'), 'utf8')).toBe('deep\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uploads a file into a folder, and names what is wrong', async () => {
    const name = await prepared();
    await service.files.upload(name, '/data/sub', 'notes.txt', Buffer.from('uploaded\n'));
    const file = await service.files.download(name, '/data/sub/notes.txt', new AbortController().signal);
    expect((await collect(file.chunks)).toString()).toBe('uploaded\n');
    const badName = await engineError(service.files.upload(name, '/data', '../escape', Buffer.from('x')));
    expect(badName.message).toContain('is not a file name');
    const missing = await engineError(service.files.upload(name, '/nowhere', 'x.txt', Buffer.from('x')));
    expect(missing.code).toBe('not-found');
  });
});
