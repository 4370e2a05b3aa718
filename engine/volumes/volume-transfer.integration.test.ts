import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { EngineConnection } from '../core/index.js';
import { TarReader, type TarHeader } from '../archive/index.js';
import { connectTestEngine, engineError, removeVolumes } from '../testing/engine-fixture.js';
import { uniqueName } from '../testing/names.js';
import { BUSYBOX_IMAGE, dockerCli } from '../testing/test-images.js';
import { VOLUME_BROWSER_LABEL, VolumeService } from './volume-service.js';
import { VolumeTransfers } from './volume-transfer.js';

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');

const LONG_NAME = `${'deep-'.repeat(30)}file.txt`;
/** Modes, owners, setuid and sticky bits, a symlink, an empty directory, a long (PAX) name, binary data, and the root's own mode and owner. */
const POPULATE = `set -e
cd /v
mkdir -p a/empty b
printf hello > a/greeting && chmod 640 a/greeting && chown 1234:5678 a/greeting
head -c 300000 /dev/urandom > b/random.bin
printf x > b/${LONG_NAME}
cp /bin/busybox b/tool && chmod 4755 b/tool
ln -s a/greeting link && ln -s /etc/outside dangling
chmod 1777 b && chown 42:43 a/empty
chmod 1750 /v && chown 7:8 /v`;

const volumeExists = async (name: string) =>
  (await dockerCli(dockerHost, ['volume', 'ls', '-q', '--filter', `name=^${name}$`])) === name;
const helpersLeft = async () => dockerCli(dockerHost, ['ps', '-aq', '--filter', `label=${VOLUME_BROWSER_LABEL}`]);

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

function headersOf(tar: Buffer): Array<Pick<TarHeader, 'path' | 'type' | 'mode' | 'linkTarget'>> {
  const headers: TarHeader[] = [];
  const reader = new TarReader({ entry: (header) => headers.push(header) });
  reader.push(tar);
  // The engine writes the file type bits into the mode field too; the permission bits are what must survive.
  return headers.map(({ path, type, mode, linkTarget }) => ({ path, type, mode: mode & 0o7777, linkTarget }));
}

describe('VolumeTransfers (real dockerd)', () => {
  let connection: EngineConnection;
  let volumes: VolumeService;
  let transfers: VolumeTransfers;
  const made: string[] = [];
  const newName = (purpose: string) => {
    const name = uniqueName(purpose);
    made.push(name);
    return name;
  };
  const populated = async () => {
    const name = newName('vsrc');
    await dockerCli(dockerHost, ['volume', 'create', name]);
    await dockerCli(dockerHost, ['run', '--rm', '--network', 'none', '-v', `${name}:/v`, BUSYBOX_IMAGE, 'sh', '-c', POPULATE]);
    return name;
  };
  const importInChunks = async (name: string, tar: Buffer, size: number) => {
    const pending = await transfers.beginImport(name);
    for (let offset = 0; offset < tar.length; offset += size) await pending.write(tar.subarray(offset, offset + size));
    return pending.finish();
  };

  beforeAll(async () => {
    connection = await connectTestEngine(socketPath);
    volumes = new VolumeService(connection);
    transfers = new VolumeTransfers(connection, volumes);
  });
  afterEach(async () => {
    await removeVolumes(dockerHost, made.splice(0));
    expect(await helpersLeft()).toBe('');
  });
  afterAll(() => connection.dispose());

  it('exports a volume and imports it into a new one, byte-identical: modes, owners, links, empty dirs, the root', async () => {
    const source = await populated();
    const exported = await collect(transfers.exportTar(source));
    const paths = headersOf(exported);
    expect(paths).toEqual(
      expect.arrayContaining([
        { path: './', type: 'directory', mode: 0o1750, linkTarget: '' },
        { path: './a/empty/', type: 'directory', mode: 0o755, linkTarget: '' },
        { path: './a/greeting', type: 'file', mode: 0o640, linkTarget: '' },
        { path: './b/', type: 'directory', mode: 0o1777, linkTarget: '' },
        { path: `./b/${LONG_NAME}`, type: 'file', mode: 0o644, linkTarget: '' },
        { path: './b/tool', type: 'file', mode: 0o4755, linkTarget: '' },
        { path: './link', type: 'symlink', mode: 0o777, linkTarget: 'a/greeting' },
        { path: './dangling', type: 'symlink', mode: 0o777, linkTarget: '/etc/outside' },
      ]),
    );

    const copy = newName('vimp');
    // Odd-sized chunks: the first is shorter than a tar header, so the check waits for more.
    const summary = await importInChunks(copy, exported, 100_003);
    expect(summary.name).toBe(copy);
    const again = await collect(transfers.exportTar(copy));
    expect(again.length).toBe(exported.length);
    expect(again.equals(exported)).toBe(true);
    const owners = await dockerCli(dockerHost, [
      'run',
      '--rm',
      '-v',
      `${copy}:/v`,
      BUSYBOX_IMAGE,
      'stat',
      '-c',
      '%n %u:%g %a',
      '/v',
      '/v/a/greeting',
      '/v/a/empty',
    ]);
    expect(owners.split('\n')).toEqual(['/v 7:8 1750', '/v/a/greeting 1234:5678 640', '/v/a/empty 42:43 755']);
  });

  it('clones a volume into a new name with progress, leaving the source as it was', async () => {
    const source = await populated();
    const before = await collect(transfers.exportTar(source));
    const target = newName('vclone');
    const clone = transfers.clone(source, target);
    const progress: number[] = [];
    let step = await clone.next();
    while (!step.done) {
      progress.push(step.value);
      step = await clone.next();
    }
    expect(step.value.name).toBe(target);
    expect(progress.at(-1)).toBe(before.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect((await collect(transfers.exportTar(target))).equals(before)).toBe(true);
    expect((await collect(transfers.exportTar(source))).equals(before)).toBe(true);
  });

  it('a cancelled import leaves no volume and no helper', async () => {
    const source = await populated();
    const exported = await collect(transfers.exportTar(source));
    const name = newName('vcancel');
    const pending = await transfers.beginImport(name);
    await pending.write(exported.subarray(0, 200_000));
    expect(await volumeExists(name)).toBe(true);
    await pending.cancel();
    expect(await volumeExists(name)).toBe(false);
    await expect(pending.write(exported.subarray(200_000))).rejects.toThrow(/cancelled/);
  });

  it('a cancelled clone removes its target and keeps the source', async () => {
    const source = await populated();
    const before = await collect(transfers.exportTar(source));
    const target = newName('vclonecancel');
    const clone = transfers.clone(source, target);
    await clone.next();
    await clone.return(undefined as never);
    expect(await volumeExists(target)).toBe(false);
    expect((await collect(transfers.exportTar(source))).equals(before)).toBe(true);
  });

  it('refuses a file that is not a tar with the reason, creating nothing', async () => {
    const name = newName('vtext');
    const pending = await transfers.beginImport(name);
    const error = await engineError(pending.write(Buffer.from('just some notes\n'.repeat(100))));
    expect(error).toMatchObject({
      code: 'invalid-argument',
      message:
        'This file is not a tar archive: its first 512 bytes are not a tar header (the checksum does not match). Nothing was created.',
    });
    expect(await volumeExists(name)).toBe(false);

    const short = await transfers.beginImport(name);
    await short.write(Buffer.from('tiny'));
    expect((await engineError(short.finish())).message).toMatch(/it has 4 bytes, fewer than one tar header/);
    expect(await volumeExists(name)).toBe(false);
  });

  it('refuses a tar that is cut short, and removes the volume it had begun', async () => {
    const source = await populated();
    const exported = await collect(transfers.exportTar(source));
    const name = newName('vcut');
    const error = await engineError(importInChunks(name, exported.subarray(0, 150_000), 64 * 1024));
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toMatch(/^The tar archive is damaged or cut short .*; volume .* was not kept\.$/);
    expect(await volumeExists(name)).toBe(false);
  });

  it('refuses an existing name, leaving that volume untouched', async () => {
    const existing = await populated();
    const error = await engineError(transfers.beginImport(existing));
    expect(error).toMatchObject({
      code: 'conflict',
      message: `A volume named ${existing} already exists; import into a new name.`,
    });
    expect(await dockerCli(dockerHost, ['run', '--rm', '-v', `${existing}:/v`, BUSYBOX_IMAGE, 'cat', '/v/a/greeting'])).toBe(
      'hello',
    );
  });
});
