import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSharedFolders, folderWarnings, planSharedFolders, sharedFolderProblem, sharesConfig } from './shared-folders.js';

describe('sharedFolderProblem', () => {
  it('accepts ordinary folders, with spaces too', () => {
    for (const folder of ['/home/me', '/Users/me/My Projects', '/tmp/x', '/var/folders/ab', '/mnt/data']) {
      expect(sharedFolderProblem(folder)).toBeNull();
    }
  });

  it('refuses the VM’s own system and anything hiding its engine data', () => {
    expect(sharedFolderProblem('/')).toMatch(/whole file system/);
    expect(sharedFolderProblem('/proc/1')).toBe(
      "The shared folder /proc/1 cannot be shared: /proc is part of the VM's own system.",
    );
    expect(sharedFolderProblem('/usr/')).toMatch(/\/usr is part of the VM's own system/);
    expect(sharedFolderProblem('/var')).toMatch(/engine data in \/var\/lib\/docker/);
    expect(sharedFolderProblem('/var/lib/docker/volumes')).toMatch(/engine data/);
  });

  it('refuses paths the guest could not read back', () => {
    expect(sharedFolderProblem('home/me')).toMatch(/absolute path/);
    expect(sharedFolderProblem('/home/me/../etc')).toMatch(/cannot contain ".."/);
    expect(sharedFolderProblem('/home/a\nb')).toMatch(/line break/);
  });
});

describe('planSharedFolders', () => {
  it('drops duplicates and folders already inside another shared folder', () => {
    expect(planSharedFolders(['/home/me/src', '/home/me/', '/data', '/home/me', '/home/meter'])).toEqual([
      { tag: 'berth0', path: '/data' },
      { tag: 'berth1', path: '/home/me' },
      { tag: 'berth2', path: '/home/meter' },
    ]);
  });

  it('tells the guest one "TAG PATH" per line', () => {
    expect(sharesConfig(planSharedFolders(['/a b/c', '/d']))).toBe('berth0 /a b/c\nberth1 /d\n');
  });
});

describe('checkSharedFolders', () => {
  it('refuses a folder that does not exist, by name, before boot', () => {
    expect(() => checkSharedFolders(['/nonexistent-berth-folder'])).toThrow(
      'The shared folder /nonexistent-berth-folder does not exist.',
    );
  });

  it('refuses a file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-folders-'));
    const file = path.join(dir, 'f');
    fs.writeFileSync(file, '');
    try {
      expect(() => checkSharedFolders([file])).toThrow(`The shared folder ${file} is not a folder.`);
      expect(checkSharedFolders([dir])).toEqual([{ tag: 'berth0', path: dir }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('folderWarnings', () => {
  it('reads the guest’s BERTH-WARN lines', () => {
    const text =
      'BERTH-STEP disk t=1\nBERTH-WARN folder /a b: mount: mounting berth0 on /a b failed: No such device\nBERTH-READY t=2\n';
    expect(folderWarnings(text)).toEqual([{ path: '/a b', reason: 'mount: mounting berth0 on /a b failed: No such device' }]);
  });
});
