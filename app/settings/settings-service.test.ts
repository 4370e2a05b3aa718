import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SettingValues } from '../contract/settings-contract.js';
import { SettingsService, type SettingsServiceOptions } from './settings-service.js';
import type { VmSettingsShape } from './vm-settings-keys.js';

const DEFAULTS: SettingValues = {
  'vm.cpus': 2,
  'vm.memoryMiB': 2048,
  'vm.diskGiB': 64,
  'vm.sharedFolders': ['/home/me'],
  'vm.startOnLaunch': true,
  'vm.restAfterMinutes': 5,
};

let dir: string;
let options: SettingsServiceOptions;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-settings-'));
  options = {
    file: path.join(dir, 'settings.json'),
    lockedFile: path.join(dir, 'locked', 'locked-settings.json'),
    defaults: DEFAULTS,
    limits: { maxCpus: 4, maxMemoryMiB: 6144 },
    schemaReference: './settings.schema.json',
  };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (file: string, value: unknown) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
};
const stored = () => JSON.parse(fs.readFileSync(options.file, 'utf8')) as Record<string, unknown>;
const value = (service: SettingsService, key: string) => service.list().entries.find((entry) => entry.key === key)?.value;

describe('SettingsService', () => {
  it('lists every setting with its default, description and when it applies', () => {
    const listing = new SettingsService(options).list();
    expect(listing.file).toBe(options.file);
    expect(listing.lockedFile).toBeNull();
    expect(listing.entries.map((entry) => entry.key)).toEqual([
      'vm.cpus',
      'vm.memoryMiB',
      'vm.diskGiB',
      'vm.sharedFolders',
      'vm.startOnLaunch',
      'vm.restAfterMinutes',
    ]);
    expect(listing.entries[0]).toMatchObject({ value: 2, defaultValue: 2, locked: false, applies: 'restart' });
    expect(listing.entries[4]).toMatchObject({ key: 'vm.startOnLaunch', applies: 'now' });
  });

  it('stores a set value in the file, with $schema, and tells its listeners', async () => {
    const service = new SettingsService(options);
    const seen: unknown[] = [];
    service.onChange((listing) => seen.push(value({ list: () => listing } as SettingsService, 'vm.cpus')));
    const result = await service.set('vm.cpus', 3);
    expect(result.entry).toMatchObject({ key: 'vm.cpus', value: 3 });
    expect(result.needsRestart).toBe(false);
    expect(stored()).toEqual({ $schema: './settings.schema.json', 'vm.cpus': 3 });
    expect(seen).toEqual([3]);
  });

  it('refuses an unknown key, a wrong value and a locked key, each saying why, and stores nothing', async () => {
    write(options.lockedFile, { 'vm.memoryMiB': 1024 });
    const service = new SettingsService(options);
    await expect(service.set('vm.cpu', 2)).rejects.toThrow('Unknown setting vm.cpu; did you mean vm.cpus?');
    await expect(service.set('vm.cpus', 8)).rejects.toThrow('vm.cpus must be a whole number from 1 to 4; it is 8.');
    await expect(service.set('vm.memoryMiB', 4096)).rejects.toThrow(
      `vm.memoryMiB is locked by your administrator in ${options.lockedFile}.`,
    );
    expect(fs.existsSync(options.file)).toBe(false);
  });

  it('lets the locked file win over the user file and marks those keys locked', () => {
    write(options.file, { 'vm.memoryMiB': 4096, 'vm.cpus': 3 });
    write(options.lockedFile, { 'vm.memoryMiB': 1024 });
    const listing = new SettingsService(options).list();
    expect(listing.lockedFile).toBe(options.lockedFile);
    expect(listing.entries.find((entry) => entry.key === 'vm.memoryMiB')).toMatchObject({ value: 1024, locked: true });
    expect(listing.entries.find((entry) => entry.key === 'vm.cpus')).toMatchObject({ value: 3, locked: false });
  });

  it('the VM form may send a locked key unchanged, not changed; locked keys never go into the user file', async () => {
    write(options.lockedFile, { 'vm.memoryMiB': 1024 });
    const service = new SettingsService(options);
    const vm: VmSettingsShape = {
      cpus: 3,
      memoryMiB: 1024,
      diskGiB: 64,
      sharedFolders: ['/home/me'],
      startOnLaunch: true,
      restAfterMinutes: 5,
    };
    await service.setVm(vm);
    expect(stored()['vm.memoryMiB']).toBeUndefined();
    expect(stored()['vm.cpus']).toBe(3);
    await expect(service.setVm({ ...vm, memoryMiB: 2048 })).rejects.toThrow(/vm\.memoryMiB is locked by your administrator/);
  });

  it('keeps the last good settings when the edited file is not JSON, naming the file and line, then applies the fix', async () => {
    write(options.file, { 'vm.cpus': 3 });
    const service = new SettingsService(options);
    write(options.file, '{\n  "vm.cpus": 4,\n  "vm.diskGiB": oops\n}');
    await service.reload();
    expect(value(service, 'vm.cpus')).toBe(3);
    expect(service.problem).toMatch(
      new RegExp(`^${options.file} line 3 is not valid JSON \\(Unexpected token 'o'\\)\\. Berth keeps the last good settings`),
    );
    await expect(service.set('vm.cpus', 2)).rejects.toThrow(/^Fix the settings file first:/);

    write(options.file, { 'vm.cpus': 4 });
    await service.reload();
    expect(value(service, 'vm.cpus')).toBe(4);
    expect(service.problem).toBeNull();
  });

  it('keeps the last good settings when an edited value is out of range, naming the key and line', async () => {
    const service = new SettingsService(options);
    write(options.file, '{\n  "vm.cpus": 64\n}');
    await service.reload();
    expect(value(service, 'vm.cpus')).toBe(2);
    expect(service.problem).toMatch(
      new RegExp(`^${options.file} line 2: vm\\.cpus must be a whole number from 1 to 4; it is 64\\.`),
    );
  });

  it('passes VM changes through the machine: its refusal keeps the last good settings, its restart need is kept', async () => {
    const service = new SettingsService(options);
    const applied: VmSettingsShape[] = [];
    const source = service.connectVm(async (next) => {
      if (next.diskGiB < 64) throw new Error('The disk holds 70 GiB; it cannot shrink to 10 GiB.');
      applied.push(next);
      source.save({ ...next, sharedFolders: next.sharedFolders.map((folder) => folder.replace(/\/$/, '')) });
      return { needsRestart: true };
    });
    expect(source.load()).toEqual({
      cpus: 2,
      memoryMiB: 2048,
      diskGiB: 64,
      sharedFolders: ['/home/me'],
      startOnLaunch: true,
      restAfterMinutes: 5,
    });

    write(options.file, { 'vm.diskGiB': 10 });
    await service.reload();
    expect(service.problem).toBe(
      `${options.file} (vm.diskGiB): The disk holds 70 GiB; it cannot shrink to 10 GiB. Berth keeps the last good settings until it is fixed.`,
    );
    expect(value(service, 'vm.diskGiB')).toBe(64);

    write(options.file, { 'vm.sharedFolders': ['/srv/'] });
    await service.reload();
    expect(service.problem).toBeNull();
    expect(service.list().needsRestart).toBe(true);
    expect(applied.at(-1)?.sharedFolders).toEqual(['/srv/']);
    // The machine's normalized value is written back.
    expect(stored()['vm.sharedFolders']).toEqual(['/srv']);
    service.vmRestarted();
    expect(service.list().needsRestart).toBe(false);
  });
});
