import { describe, expect, it } from 'vitest';
import { entryType, MAX_ENTRIES, parseListing } from './volume-listing.js';

const record = (hexMode: string, size: number, name: string) => `${hexMode} ${size} 1700000000 0 0\n./${name}\0`;

describe('parseListing', () => {
  it('reads each record, directories first, names whole', () => {
    const output = Buffer.from(
      record('81a4', 6, 'hello.txt') + record('41ed', 4096, 'sub') + record('a1ff', 7, 'odd\nname with spaces'),
    );
    const { entries, truncated } = parseListing(output);
    expect(truncated).toBe(false);
    expect(entries).toEqual([
      { name: 'sub', type: 'directory', size: 4096, modified: 1700000000, permissions: 'rwxr-xr-x', uid: 0, gid: 0 },
      { name: 'hello.txt', type: 'file', size: 6, modified: 1700000000, permissions: 'rw-r--r--', uid: 0, gid: 0 },
      { name: 'odd\nname with spaces', type: 'symlink', size: 7, modified: 1700000000, permissions: 'rwxrwxrwx', uid: 0, gid: 0 },
    ]);
  });

  it('says a listing cut in the middle of a record is truncated, keeping the whole records', () => {
    const output = Buffer.from(record('81a4', 1, 'a') + '81a4 2 17000');
    expect(parseListing(output)).toMatchObject({ entries: [{ name: 'a' }], truncated: true });
  });

  it('keeps at most MAX_ENTRIES entries', () => {
    const many = Array.from({ length: MAX_ENTRIES + 1 }, (_, index) => record('81a4', 0, `f${index}`)).join('');
    const { entries, truncated } = parseListing(Buffer.from(many));
    expect(entries).toHaveLength(MAX_ENTRIES);
    expect(truncated).toBe(true);
  });

  it('an empty directory gives no entries', () => {
    expect(parseListing(Buffer.alloc(0))).toEqual({ entries: [], truncated: false });
  });

  it('skips lines that are not records (a message on stdout)', () => {
    expect(parseListing(Buffer.from(`oops\0${record('81a4', 1, 'a')}`)).entries.map((entry) => entry.name)).toEqual(['a']);
  });
});

describe('modes', () => {
  it('names types', () => {
    expect(entryType(0o040755)).toBe('directory');
    expect(entryType(0o100644)).toBe('file');
    expect(entryType(0o120777)).toBe('symlink');
    expect(entryType(0o010644)).toBe('other');
  });
});
