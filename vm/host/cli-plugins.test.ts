import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareVersions, installCliPlugins, readManifest, userPluginDir, type CliPluginsOptions } from './cli-plugins.js';

/** A plugin as a shell script that answers the metadata call, so versions are read as the CLI would. */
const pluginScript = (version: string, mark = '') =>
  `#!/bin/sh\n# ${mark}\n[ "$1" = docker-cli-plugin-metadata ] && echo '{"SchemaVersion":"0.1.0","Version":"${version}"}'\n`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let root: string;
let source: string;
let state: string;
let dockerConfig: string;
let system: string;
let userDir: string;

/** Berth's build output: the two plugins at these versions, with their manifest. */
function buildBerthPlugins(versions: { compose: string; buildx: string }) {
  fs.rmSync(source, { recursive: true, force: true });
  fs.mkdirSync(source, { recursive: true });
  const lines = Object.entries(versions).map(([command, version]) => {
    const text = pluginScript(version, `berth ${command}`);
    fs.writeFileSync(path.join(source, `docker-${command}`), text, { mode: 0o755 });
    return `docker-${command} ${version} ${sha256(text)}`;
  });
  fs.writeFileSync(path.join(source, 'manifest.txt'), `${lines.join('\n')}\n`);
}

const options = (): CliPluginsOptions => ({
  sourceDir: source,
  stateDir: state,
  env: { DOCKER_CONFIG: dockerConfig },
  systemDirs: [system],
});
const byPlugin = async () =>
  Object.fromEntries((await installCliPlugins(options())).plugins.map((outcome) => [outcome.plugin, outcome]));

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cli-plugins-'));
  source = path.join(root, 'source');
  state = path.join(root, 'state');
  dockerConfig = path.join(root, 'docker-config');
  system = path.join(root, 'usr-libexec-docker-cli-plugins');
  userDir = path.join(dockerConfig, 'cli-plugins');
  fs.mkdirSync(state);
  fs.mkdirSync(system);
  buildBerthPlugins({ compose: '2.26.1-4', buildx: '0.13.1+ds1-3' });
});

afterEach(() => {
  fs.chmodSync(root, 0o755);
  fs.rmSync(root, { recursive: true, force: true });
});

describe('installCliPlugins', () => {
  it('installs both into a fresh DOCKER_CONFIG (folder made), executable, byte for byte, no temporary left', async () => {
    const report = await installCliPlugins(options());
    expect(report.folder).toBe(userDir);
    expect(report.note).toBeNull();
    expect(report.plugins.map((outcome) => [outcome.plugin, outcome.status, outcome.version])).toEqual([
      ['docker-compose', 'installed', '2.26.1-4'],
      ['docker-buildx', 'installed', '0.13.1+ds1-3'],
    ]);
    for (const plugin of ['docker-compose', 'docker-buildx']) {
      const installed = path.join(userDir, plugin);
      expect(fs.statSync(installed).mode & 0o777).toBe(0o755);
      expect(fs.readFileSync(installed, 'utf8')).toBe(fs.readFileSync(path.join(source, plugin), 'utf8'));
    }
    expect(fs.readdirSync(userDir).sort()).toEqual(['docker-buildx', 'docker-compose']);
  });

  it('says "current" on the next start and leaves the files as they are', async () => {
    await installCliPlugins(options());
    const before = fs.statSync(path.join(userDir, 'docker-compose')).mtimeMs;
    const again = await byPlugin();
    expect(again['docker-compose']).toMatchObject({ status: 'current', version: '2.26.1-4' });
    expect(again['docker-buildx']).toMatchObject({ status: 'current' });
    expect(fs.statSync(path.join(userDir, 'docker-compose')).mtimeMs).toBe(before);
  });

  it("keeps the user's own plugin in their folder, with its version, and installs only the missing one", async () => {
    fs.mkdirSync(userDir, { recursive: true });
    const theirs = pluginScript('2.30.0', 'mine');
    fs.writeFileSync(path.join(userDir, 'docker-compose'), theirs, { mode: 0o755 });
    const outcome = await byPlugin();
    expect(outcome['docker-compose']).toEqual({
      plugin: 'docker-compose',
      status: 'kept',
      version: '2.30.0',
      path: path.join(userDir, 'docker-compose'),
    });
    expect(fs.readFileSync(path.join(userDir, 'docker-compose'), 'utf8')).toBe(theirs);
    expect(outcome['docker-buildx']?.status).toBe('installed');
  });

  it('updates a plugin Berth installed when Berth brings a newer one, and never goes back to an older one', async () => {
    await installCliPlugins(options());
    buildBerthPlugins({ compose: '2.27.0-1', buildx: '0.13.1+ds1-3' });
    const updated = await byPlugin();
    expect(updated['docker-compose']).toMatchObject({ status: 'updated', version: '2.27.0-1' });
    expect(updated['docker-buildx']).toMatchObject({ status: 'current' });
    expect(fs.readFileSync(path.join(userDir, 'docker-compose'), 'utf8')).toContain('"Version":"2.27.0-1"');

    buildBerthPlugins({ compose: '2.26.1-4', buildx: '0.13.1+ds1-3' }); // an older Berth starts
    const older = await byPlugin();
    expect(older['docker-compose']).toMatchObject({ status: 'current', version: '2.27.0-1' });
    expect(fs.readFileSync(path.join(userDir, 'docker-compose'), 'utf8')).toContain('"Version":"2.27.0-1"');
  });

  it('treats a file Berth installed and the user replaced as theirs from then on', async () => {
    await installCliPlugins(options());
    const theirs = pluginScript('2.31.0', 'replaced by the user');
    fs.writeFileSync(path.join(userDir, 'docker-compose'), theirs);
    expect((await byPlugin())['docker-compose']).toMatchObject({ status: 'kept', version: '2.31.0' });
    buildBerthPlugins({ compose: '2.40.0-1', buildx: '0.13.1+ds1-3' });
    expect((await byPlugin())['docker-compose']).toMatchObject({ status: 'kept', version: '2.31.0' });
    expect(fs.readFileSync(path.join(userDir, 'docker-compose'), 'utf8')).toBe(theirs);
  });

  it('does not shadow a system plugin, and removes its own copy once one appears there', async () => {
    fs.writeFileSync(path.join(system, 'docker-buildx'), pluginScript('0.20.0'), { mode: 0o755 });
    const first = await byPlugin();
    expect(first['docker-buildx']).toEqual({
      plugin: 'docker-buildx',
      status: 'kept',
      version: '0.20.0',
      path: path.join(system, 'docker-buildx'),
    });
    expect(fs.existsSync(path.join(userDir, 'docker-buildx'))).toBe(false);
    expect(first['docker-compose']?.status).toBe('installed');

    fs.writeFileSync(path.join(system, 'docker-compose'), pluginScript('2.29.0'), { mode: 0o755 });
    const second = await byPlugin();
    expect(second['docker-compose']).toMatchObject({
      status: 'kept',
      version: '2.29.0',
      path: path.join(system, 'docker-compose'),
    });
    expect(fs.existsSync(path.join(userDir, 'docker-compose'))).toBe(false);
  });

  it("ignores a system file that is not executable (the CLI skips it too), and honours config.json's extra folders", async () => {
    fs.writeFileSync(path.join(system, 'docker-compose'), 'not a plugin', { mode: 0o644 });
    const extra = path.join(root, 'extra');
    fs.mkdirSync(extra);
    fs.writeFileSync(path.join(extra, 'docker-buildx'), pluginScript('0.19.0'), { mode: 0o755 });
    fs.mkdirSync(dockerConfig, { recursive: true });
    fs.writeFileSync(path.join(dockerConfig, 'config.json'), JSON.stringify({ cliPluginsExtraDirs: [extra] }));
    const outcome = await byPlugin();
    expect(outcome['docker-compose']?.status).toBe('installed');
    expect(outcome['docker-buildx']).toMatchObject({
      status: 'kept',
      version: '0.19.0',
      path: path.join(extra, 'docker-buildx'),
    });
  });

  it('fails with the reason when the plugin folder cannot be a folder, and says nothing was written', async () => {
    fs.mkdirSync(dockerConfig);
    fs.writeFileSync(userDir, 'a file where the folder should be');
    const outcome = await byPlugin();
    expect(outcome['docker-compose']).toMatchObject({ status: 'failed', reason: `${userDir} is not a folder` });
    expect(outcome['docker-buildx']?.status).toBe('failed');
  });

  it.skipIf(process.getuid?.() === 0)('fails with "no permission" in a folder the user cannot write', async () => {
    fs.mkdirSync(userDir, { recursive: true });
    fs.chmodSync(userDir, 0o555);
    const outcome = await byPlugin();
    expect(outcome['docker-compose']).toMatchObject({ status: 'failed', reason: `no permission to write in ${userDir}` });
    fs.chmodSync(userDir, 0o755);
  });

  it('refuses a plugin that does not match its manifest (a damaged build), leaving no file behind', async () => {
    fs.appendFileSync(path.join(source, 'docker-compose'), '# changed after the build\n');
    const outcome = await byPlugin();
    expect(outcome['docker-compose']).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('does not match its manifest') as string,
    });
    expect(fs.readdirSync(userDir)).toEqual(['docker-buildx']);
  });

  it('says why nothing happened when the plugins are not built', async () => {
    fs.rmSync(path.join(source, 'manifest.txt'));
    const report = await installCliPlugins(options());
    expect(report.plugins).toEqual([]);
    expect(report.note).toMatch(/not built .*npm run vm:image/);
    expect(fs.existsSync(userDir)).toBe(false);
  });
});

describe('userPluginDir', () => {
  it('is DOCKER_CONFIG/cli-plugins, else ~/.docker/cli-plugins', () => {
    expect(userPluginDir({ DOCKER_CONFIG: '/x/conf', HOME: '/home/a' })).toBe('/x/conf/cli-plugins');
    expect(userPluginDir({ HOME: '/home/a' })).toBe('/home/a/.docker/cli-plugins');
  });
});

describe('readManifest', () => {
  it('reads name, version and checksum; a listed binary that is missing makes it unusable', () => {
    expect(readManifest(source)?.map((entry) => entry.plugin)).toEqual(['docker-compose', 'docker-buildx']);
    fs.rmSync(path.join(source, 'docker-buildx'));
    expect(readManifest(source)).toBeNull();
  });
});

describe('compareVersions', () => {
  it('orders Debian versions of the same package by their numbers', () => {
    expect(compareVersions('2.27.0-1', '2.26.1-4')).toBe(1);
    expect(compareVersions('2.26.1-4', '2.26.1-5')).toBe(-1);
    expect(compareVersions('0.13.1+ds1-3', '0.13.1+ds1-3')).toBe(0);
    expect(compareVersions('0.13.1+ds1-3', '0.14.0-1')).toBe(-1);
    expect(compareVersions('1:2.0', '2.10')).toBe(-1);
  });
});
