/**
 * Settings and diagnostics over the API, as the UI and the `berth` command use them: a real settings
 * file edited on disk while the service watches it, and a diagnostics archive against the private dockerd.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dockerCli, BUSYBOX_IMAGE } from '../../engine/testing/test-images.js';
import { uniqueName } from '../../engine/testing/names.js';
import { waitFor } from '../../engine/testing/wait-for.js';
import { createKeyFileCredentialStore } from '../../engine/images/index.js';
import { createBerthImplementation } from '../backend/berth-api.js';
import { createEngineServices, type EngineServices } from '../backend/engine-services.js';
import { createInMemoryLink } from '../backend/testing/in-memory-link.js';
import type { BerthClient } from '../contract/client.js';
import type { SettingsListing } from '../contract/settings-contract.js';
import { isBerthApiError } from '../contract/errors.js';
import { createAppDiagnostics, type AppDiagnostics } from '../diagnostics/index.js';
import { openSettings } from './open-settings.js';
import type { SettingsService } from './settings-service.js';

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');

describe('settings and diagnostics over the API (real file, real dockerd)', () => {
  let dir: string;
  let services: EngineServices;
  let settings: SettingsService;
  let diagnostics: AppDiagnostics;
  let api: BerthClient;
  let watching: { dispose(): void };
  const seenNames = new Set<string>();
  const diagnosticsEventsSeen = (name: string) => seenNames.has(`${name}:destroy`);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-settings-api-'));
    // An older Berth's VM settings file, to be moved into the one file.
    fs.mkdirSync(path.join(dir, 'vm'));
    const legacy = { cpus: 1, memoryMiB: 1024, diskGiB: 20, sharedFolders: ['/srv'], startOnLaunch: false };
    fs.writeFileSync(path.join(dir, 'vm', 'settings.json'), JSON.stringify(legacy));
    settings = openSettings({
      stateDir: dir,
      vmStateDir: path.join(dir, 'vm'),
      lockedFile: path.join(dir, 'locked.json'),
      debounceMs: 50,
    });
    watching = settings.watch();
    services = createEngineServices({ kind: 'unix', socketPath });
    await waitFor('the engine connection', () => services.connection.state.kind === 'connected');
    services.connection.onEvent(
      (event) => void seenNames.add(`${(event as { name?: string }).name}:${(event as { action?: string }).action}`),
    );
    diagnostics = createAppDiagnostics({
      stateDir: dir,
      vmStateDir: path.join(dir, 'vm'),
      projectRoot: process.cwd(),
      connection: services.connection,
      credentials: createKeyFileCredentialStore(dir),
      settings: () => settings.list(),
      machineStatus: () => ({ engine: 'external' }),
      captureOutput: false,
    });
    api = createInMemoryLink(
      createBerthImplementation(services, {
        facilities: { settings, diagnose: () => diagnostics.diagnose(), diagnosticsDir: path.join(dir, 'diagnostics') },
      }),
    ).client;
  });
  afterAll(async () => {
    watching.dispose();
    diagnostics.dispose();
    await services.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('moved the older VM settings into the one file, every value kept, with $schema beside it', async () => {
    const file = JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(file).toEqual({
      $schema: './settings.schema.json',
      'vm.cpus': 1,
      'vm.memoryMiB': 1024,
      'vm.diskGiB': 20,
      'vm.sharedFolders': ['/srv'],
      'vm.startOnLaunch': false,
    });
    expect(fs.existsSync(path.join(dir, 'settings.schema.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'vm', 'settings.json.migrated'))).toBe(true);
    const listing = await api.settings.list({});
    expect(listing.entries.find((entry) => entry.key === 'vm.diskGiB')?.value).toBe(20);
  });

  it('applies an edit of the file on disk and tells a watcher, with no call made', async () => {
    const seen: SettingsListing[] = [];
    const subscription = api.settings.watch({}, { next: (listing) => void seen.push(listing) });
    try {
      const file = path.join(dir, 'settings.json');
      const text = fs.readFileSync(file, 'utf8').replace('"vm.diskGiB": 20', '"vm.diskGiB": 30');
      // As an editor saves: a new file renamed over the old one.
      fs.writeFileSync(`${file}.edit`, text);
      fs.renameSync(`${file}.edit`, file);
      const diskOf = (listing: SettingsListing | undefined) =>
        listing?.entries.find((entry) => entry.key === 'vm.diskGiB')?.value;
      await waitFor('the edit to be applied', () => diskOf(seen.at(-1)) === 30, { timeoutMs: 10_000 });

      fs.writeFileSync(file, text.replace('"vm.diskGiB": 30', '"vm.diskGiB": "big"'));
      await waitFor('the problem to be reported', () => seen.at(-1)?.problem !== null, { timeoutMs: 10_000 });
      expect(seen.at(-1)?.problem).toMatch(
        /settings\.json line \d+: vm\.diskGiB must be a whole number from 1 to 16384; it is "big"\./,
      );
      expect(diskOf(seen.at(-1))).toBe(30);
    } finally {
      subscription.dispose();
    }
  });

  it('refuses a mistyped key over the API with the closest name', async () => {
    const error = await api.settings.set({ key: 'vm.cpu', value: 2 }).catch((caught: unknown) => caught);
    expect(isBerthApiError(error) && error.message).toBe('Unknown setting vm.cpu; did you mean vm.cpus?');
  });

  it('writes a diagnostics archive with the engine facts and recent events of the private dockerd', async () => {
    const name = uniqueName('diagnose');
    await dockerCli(dockerHost, ['run', '--rm', '--name', name, BUSYBOX_IMAGE, 'true']);
    await waitFor('the container events', () => diagnosticsEventsSeen(name));
    const archive = await api.system.diagnose({});
    const out = path.join(dir, 'extracted');
    fs.mkdirSync(out);
    execFileSync('tar', ['-xzf', archive.path, '-C', out]);
    const [folder] = fs.readdirSync(out);
    const read = (name: string) => fs.readFileSync(path.join(out, folder!, name), 'utf8');
    const version = JSON.parse(read('engine-version.json')) as { Version: string; ApiVersion: string };
    expect(version.ApiVersion).toMatch(/^1\.\d+$/);
    expect(JSON.parse(read('versions.json'))).toMatchObject({ docker: version.Version, node: process.version });
    expect(JSON.parse(read('engine-info.json'))).toHaveProperty('ServerVersion', version.Version);
    const events = JSON.parse(read('engine-events.json')) as Array<{ type: string; action: string; name: string }>;
    expect(events.filter((event) => event.name === name).map((event) => event.action)).toEqual(
      expect.arrayContaining(['create', 'start', 'destroy']),
    );
    expect(read('settings.json')).toContain('"vm.diskGiB"');
  });
});
