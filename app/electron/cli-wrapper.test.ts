/**
 * The `berth` command in a package: electron-builder.yml ships resources/cli/berth, the deb links it as
 * /usr/bin/berth (the app itself is berth-app), and the wrapper runs the built bundle with the app's
 * Electron as Node. Packaging cannot run here (no Electron binary), so the wrapper runs in a copy of the
 * deb's layout, with a stand-in for the Electron binary that is Node when ELECTRON_RUN_AS_NODE=1.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const config = load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as {
  files: string[];
  extraResources: Array<{ from: string; to: string }>;
  linux: { executableName?: string };
  deb: { afterInstall: string; afterRemove: string };
};
const bundle = path.join(root, 'dist', 'app', 'berth-cli.mjs');

describe('the berth command in a package', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cli-package-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('ships the wrapper as resources/cli and the bundle inside the app, and frees the name berth for it', () => {
    expect(config.extraResources).toContainEqual({ from: 'app/electron/resources/cli', to: 'cli' });
    expect(config.files).toContain('dist/app/**');
    expect(config.linux.executableName).toBe('berth-app');
    const afterInstall = fs.readFileSync(path.join(root, config.deb.afterInstall), 'utf8');
    expect(afterInstall).toContain('ln -sf /opt/Berth/resources/cli/berth /usr/bin/berth');
    expect(afterInstall).toContain('ln -sf /opt/Berth/berth-app /usr/bin/berth-app');
    expect(fs.readFileSync(path.join(root, config.deb.afterRemove), 'utf8')).toContain('rm -f /usr/bin/berth-app /usr/bin/berth');
  });

  it('runs the command through a link on the PATH, with the app as Node', () => {
    expect(fs.existsSync(bundle), `${bundle} is missing: run npm run build`).toBe(true);
    const app = path.join(work, 'opt', 'Berth');
    fs.mkdirSync(path.join(app, 'resources', 'cli'), { recursive: true });
    fs.mkdirSync(path.join(app, 'resources', 'app.asar', 'dist', 'app'), { recursive: true });
    fs.copyFileSync(path.join(root, 'app/electron/resources/cli/berth'), path.join(app, 'resources', 'cli', 'berth'));
    fs.chmodSync(path.join(app, 'resources', 'cli', 'berth'), 0o755);
    fs.copyFileSync(bundle, path.join(app, 'resources', 'app.asar', 'dist', 'app', 'berth-cli.mjs'));
    // electron-builder puts the production dependencies (ws, zod) in the asar's node_modules.
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(app, 'resources', 'app.asar', 'node_modules'));
    // The stand-in Electron: Node only when asked to be, as Electron is.
    fs.writeFileSync(
      path.join(app, 'berth-app'),
      `#!/bin/sh\n[ "$ELECTRON_RUN_AS_NODE" = 1 ] || { echo "not as node" >&2; exit 99; }\nexec "${process.execPath}" "$@"\n`,
      { mode: 0o755 },
    );
    fs.mkdirSync(path.join(work, 'usr', 'bin'), { recursive: true });
    fs.symlinkSync(path.join(app, 'resources', 'cli', 'berth'), path.join(work, 'usr', 'bin', 'berth'));

    const result = spawnSync(path.join(work, 'usr', 'bin', 'berth'), ['--help'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: berth COMMAND/);
    expect(result.stdout).toMatch(/status +the VM and engine state/);
  });
});
