import { describe, expect, it } from 'vitest';
import { FolderCollector, isDirectoryStat, isSymlinkStat, normaliseContainerPath, parsePathStat } from './container-files.js';
import type { TarHeader } from '../archive/index.js';

const header = (path: string, type: TarHeader['type'] = 'file', extra: Partial<TarHeader> = {}): TarHeader => ({
  path,
  type,
  size: type === 'file' ? 10 : 0,
  mode: type === 'directory' ? 0o755 : 0o644,
  mtime: 1_700_000_000,
  linkTarget: '',
  ...extra,
});

describe('FolderCollector', () => {
  it('keeps the folder’s direct children, folders first, from the tar of its subtree', () => {
    const collector = new FolderCollector();
    for (const entry of [
      header('etc/', 'directory'),
      header('etc/passwd'),
      header('etc/ssl/', 'directory'),
      header('etc/ssl/certs/', 'directory'),
      header('etc/ssl/certs/ca.pem'),
      header('etc/alternatives', 'symlink', { linkTarget: '/usr/share/alt' }),
    ]) {
      collector.add(entry);
    }
    expect(collector.sorted()).toEqual([
      { name: 'ssl', type: 'directory', size: 0, modified: 1_700_000_000, permissions: 'rwxr-xr-x', linkTarget: null },
      {
        name: 'alternatives',
        type: 'symlink',
        size: 0,
        modified: 1_700_000_000,
        permissions: 'rw-r--r--',
        linkTarget: '/usr/share/alt',
      },
      { name: 'passwd', type: 'file', size: 10, modified: 1_700_000_000, permissions: 'rw-r--r--', linkTarget: null },
    ]);
    expect(collector.scanned).toBe(6);
  });

  it('works for the root folder, whose entries start with "/"', () => {
    const collector = new FolderCollector();
    for (const entry of [
      header('/', 'directory'),
      header('/.dockerenv'),
      header('/bin/', 'directory'),
      header('/bin/sh', 'symlink'),
    ]) {
      collector.add(entry);
    }
    expect(collector.sorted().map((entry) => entry.name)).toEqual(['bin', '.dockerenv']);
  });
});

describe('container paths and the archive stat header', () => {
  it('normalises absolute paths and refuses relative ones', () => {
    expect(normaliseContainerPath('/etc/')).toBe('/etc');
    expect(normaliseContainerPath('/usr/../etc//ssl')).toBe('/etc/ssl');
    expect(normaliseContainerPath('/')).toBe('/');
    expect(() => normaliseContainerPath('etc')).toThrow(/not an absolute path/);
  });

  it('reads the base64 JSON stat and tells folders and links from files', () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64');
    const folder = parsePathStat(encode({ name: 'etc', size: 4096, mode: 2147484141, linkTarget: '' }))!;
    const link = parsePathStat(encode({ name: 'sh', size: 7, mode: 134218239, linkTarget: '/bin/busybox' }))!;
    const file = parsePathStat(encode({ name: 'passwd', size: 30, mode: 0o644, linkTarget: '' }))!;
    expect([isDirectoryStat(folder), isSymlinkStat(folder)]).toEqual([true, false]);
    expect([isDirectoryStat(link), isSymlinkStat(link)]).toEqual([false, true]);
    expect([isDirectoryStat(file), isSymlinkStat(file)]).toEqual([false, false]);
    expect(parsePathStat(undefined)).toBeNull();
    expect(parsePathStat('not base64 json')).toBeNull();
  });
});
