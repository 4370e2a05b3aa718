/**
 * Parsing the volume browser's listing: for each entry, `stat -c '%f %s %Y %u %g'` (raw mode in hex,
 * size, mtime, uid, gid) and a newline, then `find -print0`'s path and a NUL. NUL is the one byte a
 * file name cannot hold, so names with spaces or newlines come through whole.
 */
import { permissionString } from '../archive/index.js';
import type { VolumeEntry, VolumeEntryType } from './volume-detail-types.js';

/** Entries shown at most; a bigger directory is shown in part, and said to be. */
export const MAX_ENTRIES = 2_000;

const S_IFMT = 0o170000;
const TYPES: ReadonlyMap<number, VolumeEntryType> = new Map([
  [0o040000, 'directory'],
  [0o100000, 'file'],
  [0o120000, 'symlink'],
]);

export function entryType(mode: number): VolumeEntryType {
  return TYPES.get(mode & S_IFMT) ?? 'other';
}

/** Directories first, then by name. */
export function compareEntries(a: VolumeEntry, b: VolumeEntry): number {
  const rank = (entry: VolumeEntry) => (entry.type === 'directory' ? 0 : 1);
  return rank(a) - rank(b) || a.name.localeCompare(b.name);
}

const HEADER = /^([0-9a-f]+) (\d+) (\d+) (\d+) (\d+)$/;

export function parseListing(output: Buffer): { entries: VolumeEntry[]; truncated: boolean } {
  const records = output.toString('utf8').split('\0');
  // The last piece follows the last NUL: empty when the output ended cleanly, a cut record when not.
  const cut = records.pop() !== '';
  const entries: VolumeEntry[] = [];
  for (const record of records) {
    const newline = record.indexOf('\n');
    const header = HEADER.exec(record.slice(0, Math.max(0, newline)));
    if (!header) continue;
    const [mode, size, modified, uid, gid] = header
      .slice(1)
      .map((field, index) => (index === 0 ? parseInt(field, 16) : Number(field)));
    entries.push({
      name: record.slice(newline + 1).replace(/^\.\//, ''),
      type: entryType(mode ?? 0),
      size: size ?? 0,
      modified: modified ?? 0,
      permissions: permissionString(mode ?? 0),
      uid: uid ?? 0,
      gid: gid ?? 0,
    });
  }
  entries.sort(compareEntries);
  return { entries: entries.slice(0, MAX_ENTRIES), truncated: cut || entries.length > MAX_ENTRIES };
}
