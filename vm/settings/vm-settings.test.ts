import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VmError } from '../vm-error.js';
import {
  defaultVmSettings,
  formatMiB,
  loadVmSettings,
  needsRestart,
  saveVmSettings,
  settingsNeedingRestart,
  validateVmSettings,
  vmSettingsProblems,
  type HostCapacity,
  type VmSettings,
} from './vm-settings.js';

const GIB = 1024 ** 3;
// 23.5 GiB, as on the machines we measure on.
const host: HostCapacity = { cpus: 4, memoryMiB: 24_064 };
const settings: VmSettings = {
  cpus: 2,
  memoryMiB: 2048,
  diskGiB: 64,
  sharedFolders: ['/home/me'],
  startOnLaunch: true,
  restAfterMinutes: 5,
};

describe('vmSettingsProblems', () => {
  it('accepts sensible settings', () => {
    expect(vmSettingsProblems(settings, host)).toEqual([]);
  });

  it('bounds CPUs by this computer', () => {
    expect(vmSettingsProblems({ ...settings, cpus: 0 }, host)).toEqual(['The VM needs a whole number of CPUs, at least 1.']);
    expect(vmSettingsProblems({ ...settings, cpus: 1.5 }, host)).toEqual(['The VM needs a whole number of CPUs, at least 1.']);
    expect(vmSettingsProblems({ ...settings, cpus: 8 }, host)).toEqual(['The VM asks 8 CPUs; this computer has 4.']);
  });

  it('says how much memory the VM asks and the computer has', () => {
    expect(vmSettingsProblems({ ...settings, memoryMiB: 256 }, host)).toEqual(['The VM needs at least 512 MiB of memory.']);
    expect(vmSettingsProblems({ ...settings, memoryMiB: 24 * 1024 }, host)).toEqual([
      'Not enough memory: the VM asks 24 GiB; this computer has 23.5 GiB.',
    ]);
    // Below the total but into the margin the host keeps for itself.
    expect(vmSettingsProblems({ ...settings, memoryMiB: 22 * 1024 }, host)).toEqual([
      'Not enough memory: the VM asks 22 GiB; this computer has 23.5 GiB and keeps 2 GiB for itself, so the VM can have up to 21.5 GiB.',
    ]);
  });

  it('refuses a disk smaller than the data it holds, and allows one that still fits', () => {
    const disk = { usedBytes: 12.3 * GIB, virtualBytes: 64 * GIB };
    expect(vmSettingsProblems({ ...settings, diskGiB: 8 }, host, disk)).toEqual([
      'The disk holds 12.3 GiB; it cannot shrink to 8 GiB.',
    ]);
    expect(vmSettingsProblems({ ...settings, diskGiB: 16 }, host, disk)).toEqual([]);
  });

  it('refuses folders the VM cannot share', () => {
    expect(vmSettingsProblems({ ...settings, sharedFolders: ['relative/path', '/var/lib'] }, host)).toEqual([
      'The shared folder "relative/path" must be an absolute path.',
      'The shared folder /var/lib cannot be shared: the VM keeps its engine data in /var/lib/docker.',
    ]);
  });

  it('refuses a rest time out of range, naming the range', () => {
    expect(vmSettingsProblems({ ...settings, restAfterMinutes: 2000 }, host)).toEqual([
      'restAfterMinutes must be a whole number of minutes from 0 (never rest) to 1440 (a day); got 2000.',
    ]);
    expect(vmSettingsProblems({ ...settings, restAfterMinutes: -5 }, host)).toHaveLength(1);
    expect(vmSettingsProblems({ ...settings, restAfterMinutes: 0 }, host)).toEqual([]);
  });

  it('never needs a restart for a new rest time', () => {
    expect(needsRestart(settings, { ...settings, restAfterMinutes: 30 })).toBe(false);
  });

  it('gathers every problem into one VmError', () => {
    const bad = { ...settings, cpus: 9, memoryMiB: 100 };
    expect(() => validateVmSettings(bad, host)).toThrow(VmError);
    expect(() => validateVmSettings(bad, host)).toThrow(
      'The VM asks 9 CPUs; this computer has 4. The VM needs at least 512 MiB of memory.',
    );
  });
});

describe('defaults', () => {
  it('share the home folder and start on launch', () => {
    expect(defaultVmSettings(host, '/home/me')).toEqual({ ...settings, sharedFolders: ['/home/me'] });
  });

  it('fit a small computer', () => {
    const small = defaultVmSettings({ cpus: 1, memoryMiB: 2048 }, '/home/me');
    expect(small).toMatchObject({ cpus: 1, memoryMiB: 1536 });
    expect(vmSettingsProblems(small, { cpus: 1, memoryMiB: 2048 })).toEqual([]);
  });

  it('format memory as a person reads it', () => {
    expect([formatMiB(768), formatMiB(2048), formatMiB(24_064)]).toEqual(['768 MiB', '2 GiB', '23.5 GiB']);
  });
});

describe('needsRestart', () => {
  it('is false for startOnLaunch alone and true for the machine’s shape', () => {
    expect(needsRestart(settings, { ...settings, startOnLaunch: false })).toBe(false);
    expect(settingsNeedingRestart(settings, { ...settings, cpus: 4, memoryMiB: 4096 })).toEqual(['cpus', 'memoryMiB']);
    expect(settingsNeedingRestart(settings, { ...settings, sharedFolders: ['/home/me', '/data'] })).toEqual(['sharedFolders']);
  });

  it('ignores a folder list that differs only in order or spelling', () => {
    const a = { ...settings, sharedFolders: ['/data/', '/home/me'] };
    expect(needsRestart(a, { ...settings, sharedFolders: ['/home/me', '/data'] })).toBe(false);
  });

  it('counts a bigger disk, and not a smaller one (the disk never shrinks)', () => {
    const disk = { usedBytes: GIB, virtualBytes: 64 * GIB };
    expect(needsRestart(settings, { ...settings, diskGiB: 80 }, disk)).toBe(true);
    expect(needsRestart(settings, { ...settings, diskGiB: 32 }, disk)).toBe(false);
  });
});

describe('settings.json', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-settings-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round-trips, with folders normalized and no temporary file left behind', () => {
    const saved = saveVmSettings(dir, { ...settings, sharedFolders: ['/home/me/', '/home/me'] }, host);
    expect(saved.sharedFolders).toEqual(['/home/me']);
    expect(loadVmSettings(dir, defaultVmSettings(host, '/x'))).toEqual(saved);
    expect(fs.readdirSync(dir)).toEqual(['settings.json']);
    expect(fs.statSync(path.join(dir, 'settings.json')).mode & 0o777).toBe(0o600);
  });

  it('stores nothing when a value is refused', () => {
    expect(() => saveVmSettings(dir, { ...settings, memoryMiB: 64 * 1024 }, host)).toThrow(/Not enough memory/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('fills what an older file lacks from the defaults', () => {
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ cpus: 3, memoryMiB: 'lots' }));
    expect(loadVmSettings(dir, defaultVmSettings(host, '/home/me'))).toEqual({ ...settings, cpus: 3 });
  });

  it('moves a file that is not JSON aside and uses the defaults', () => {
    fs.writeFileSync(path.join(dir, 'settings.json'), '{ cpus: 3');
    expect(loadVmSettings(dir, defaultVmSettings(host, '/home/me'))).toEqual(settings);
    expect(fs.readFileSync(path.join(dir, 'settings.json.invalid'), 'utf8')).toBe('{ cpus: 3');
  });
});
