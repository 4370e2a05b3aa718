import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { EngineConnection } from '../core/index.js';
import { EngineError } from '../core/index.js';
import { connectTestEngine, engineError, removeContainers, removeVolumes } from '../testing/engine-fixture.js';
import { uniqueName } from '../testing/names.js';
import { BUSYBOX_IMAGE, dockerCli } from '../testing/test-images.js';
import { PREVIEW_BYTES, VOLUME_BROWSER_LABEL, VolumeBrowser } from './volume-browser.js';
import { VolumeService } from './volume-service.js';

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');

const helpersLeft = () => dockerCli(dockerHost, ['ps', '-aq', '--filter', `label=${VOLUME_BROWSER_LABEL}`]);

describe('VolumeBrowser (real dockerd)', () => {
  let connection: EngineConnection;
  let browser: VolumeBrowser;
  const volumes: string[] = [];
  const containers: string[] = [];

  /** A volume a container filled: a text file, a directory, odd names, a binary and a big file, a link out. */
  const filledVolume = async () => {
    const name = uniqueName('browse');
    volumes.push(name);
    await dockerCli(dockerHost, [
      'run',
      '--rm',
      '-v',
      `${name}:/data`,
      BUSYBOX_IMAGE,
      'sh',
      '-c',
      [
        'echo "hello from a container" > /data/hello.txt',
        'mkdir -p /data/sub/deeper && echo nested > /data/sub/note.md',
        'printf x > "/data/with space.txt"',
        "printf 'ELF\\000\\001' > /data/binary.bin",
        `head -c ${PREVIEW_BYTES + 100} /dev/zero | tr '\\0' a > /data/big.txt`,
        'ln -s /etc /data/etc-link && ln -s hello.txt /data/hello-link',
        'chmod 640 /data/hello.txt',
      ].join(' && '),
    ]);
    return name;
  };

  beforeAll(async () => {
    connection = await connectTestEngine(socketPath);
    browser = new VolumeBrowser(connection, new VolumeService(connection));
  });
  afterEach(async () => {
    await removeContainers(dockerHost, containers.splice(0));
    await removeVolumes(dockerHost, volumes.splice(0));
  });
  afterAll(() => connection.dispose());

  it('lists the files a container wrote, directories first, and removes its helper', async () => {
    const name = await filledVolume();
    const listing = await browser.list(name, '/');
    expect(listing.path).toBe('/');
    expect(listing.truncated).toBe(false);
    expect(listing.entries.map((entry) => [entry.name, entry.type])).toEqual([
      ['sub', 'directory'],
      ['big.txt', 'file'],
      ['binary.bin', 'file'],
      ['etc-link', 'symlink'],
      ['hello-link', 'symlink'],
      ['hello.txt', 'file'],
      ['with space.txt', 'file'],
    ]);
    expect(listing.entries.find((entry) => entry.name === 'hello.txt')).toMatchObject({
      size: 'hello from a container\n'.length,
      permissions: 'rw-r-----',
      uid: 0,
    });
    expect(await helpersLeft()).toBe('');
    expect((await browser.list(name, '/sub')).entries.map((entry) => entry.name)).toEqual(['deeper', 'note.md']);
    expect((await browser.list(name, '/sub/deeper')).entries).toEqual([]);
  });

  it('reads the start of a file as text, says when it is binary or longer than the preview', async () => {
    const name = await filledVolume();
    expect(await browser.readFile(name, '/hello.txt')).toEqual({
      path: '/hello.txt',
      size: 23,
      text: 'hello from a container\n',
      truncated: false,
    });
    expect(await browser.readFile(name, '/hello-link')).toMatchObject({ text: 'hello from a container\n' });
    expect(await browser.readFile(name, '/binary.bin')).toMatchObject({ size: 5, text: null });
    const big = await browser.readFile(name, '/big.txt');
    expect(big).toMatchObject({ size: PREVIEW_BYTES + 100, truncated: true });
    expect(big.text).toHaveLength(PREVIEW_BYTES);
    expect(await helpersLeft()).toBe('');
  });

  it('explains a missing path, a file listed as a directory, and a link out of the volume', async () => {
    const name = await filledVolume();
    expect(await engineError(browser.list(name, '/nope'))).toMatchObject({
      code: 'not-found',
      message: `There is no /nope in volume ${name}.`,
    });
    expect(await engineError(browser.list(name, '/hello.txt'))).toMatchObject({
      code: 'invalid-argument',
      message: `/hello.txt in volume ${name} is not a directory.`,
    });
    expect(await engineError(browser.readFile(name, '/sub'))).toMatchObject({
      code: 'invalid-argument',
      message: `/sub in volume ${name} is not a file.`,
    });
    expect(await engineError(browser.list(name, '/etc-link'))).toMatchObject({
      code: 'invalid-argument',
      message: `/etc-link in volume ${name} is a link that leads outside the volume.`,
    });
    expect(await engineError(browser.list(name, '/sub/../..'))).toMatchObject({ code: 'invalid-argument' });
    expect(await helpersLeft()).toBe('');
  });

  it('says a missing volume is not there, and does not create it by mounting it', async () => {
    const ghost = uniqueName('ghost');
    expect(await engineError(browser.list(ghost, '/'))).toMatchObject({
      code: 'not-found',
      message: `There is no volume ${ghost}.`,
    });
    expect(await dockerCli(dockerHost, ['volume', 'ls', '-q', '--filter', `name=^${ghost}$`])).toBe('');
  });

  it('mounts the volume read-only: the helper cannot change it', async () => {
    const name = await filledVolume();
    const before = await dockerCli(dockerHost, [
      'run',
      '--rm',
      '-v',
      `${name}:/data`,
      BUSYBOX_IMAGE,
      'ls',
      '-lA',
      '--full-time',
      '/data',
    ]);
    await browser.list(name, '/');
    await browser.readFile(name, '/hello.txt');
    expect(
      await dockerCli(dockerHost, ['run', '--rm', '-v', `${name}:/data`, BUSYBOX_IMAGE, 'ls', '-lA', '--full-time', '/data']),
    ).toBe(before);
  });

  it('lists while a container is using the volume', async () => {
    const name = await filledVolume();
    const user = uniqueName('browse-user');
    containers.push(user);
    await dockerCli(dockerHost, ['run', '-d', '--name', user, '-v', `${name}:/data`, BUSYBOX_IMAGE, 'sleep', '600']);
    await dockerCli(dockerHost, ['exec', user, 'sh', '-c', 'echo live > /data/live.txt']);
    expect((await browser.list(name, '/')).entries.map((entry) => entry.name)).toContain('live.txt');
  });

  it('says clearly what browsing needs when no helper image can be had', async () => {
    const name = await filledVolume();
    const without = new VolumeBrowser(connection, new VolumeService(connection), {
      images: ['berth-test/absent:1'],
      buildHelper: () => Promise.reject(new EngineError('engine-error', '/bin/busybox is missing on this machine.')),
    });
    const error = await engineError(without.list(name, '/'));
    expect(error.code).toBe('engine-error');
    expect(error.message).toMatch(/^Browsing a volume needs a small busybox image/);
    expect(error.message).toMatch(/apt install busybox-static/);
    expect(error.message).toMatch(/docker pull busybox/);
    expect(await helpersLeft()).toBe('');
  });
});
