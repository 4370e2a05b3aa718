/**
 * What the first block of a file says about it, before anything is created from it: a tar archive (and,
 * when it starts with the root directory "./", that directory's owner, mode and time), or not a tar,
 * and then why, naming the common look-alikes (a compressed tar, a zip) so a person knows what to do.
 * The engine's archive endpoint takes any bytes and answers "unexpected EOF" at best, so Berth checks.
 */
export const TAR_BLOCK = 512;

export interface TarRootEntry {
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch. */
  mtime: number;
}

export type TarStart = { kind: 'tar'; root: TarRootEntry | null } | { kind: 'not-tar'; reason: string };

const COMPRESSED: Array<[number[], string]> = [
  [[0x1f, 0x8b], 'gzip-compressed (a .tar.gz?); decompress it to a plain .tar first'],
  [[0x42, 0x5a, 0x68], 'bzip2-compressed; decompress it to a plain .tar first'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz-compressed; decompress it to a plain .tar first'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd-compressed; decompress it to a plain .tar first'],
  [[0x50, 0x4b, 0x03, 0x04], 'a zip archive, not a tar'],
];

function field(block: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && block[end] !== 0) end += 1;
  return String.fromCharCode(...block.subarray(start, end));
}

function octal(block: Uint8Array, start: number, length: number): number {
  const digits = field(block, start, length).trim();
  return digits && /^[0-7]+$/.test(digits) ? parseInt(digits, 8) : NaN;
}

/** The header checksum: the sum of its bytes with the checksum field read as spaces (POSIX ustar). */
function checksumMatches(block: Uint8Array): boolean {
  const stored = octal(block, 148, 8);
  if (Number.isNaN(stored)) return false;
  let sum = 0;
  for (let index = 0; index < TAR_BLOCK; index += 1) sum += index >= 148 && index < 156 ? 0x20 : block[index]!;
  return sum === stored;
}

/** `start`: at least the first 512 bytes of the file (or all of it when it is shorter). */
export function inspectTarStart(start: Uint8Array): TarStart {
  if (start.length === 0) return { kind: 'not-tar', reason: 'it is empty' };
  for (const [magic, what] of COMPRESSED) {
    if (start.length >= magic.length && magic.every((byte, index) => start[index] === byte)) {
      return { kind: 'not-tar', reason: `it is ${what}` };
    }
  }
  if (start.length < TAR_BLOCK)
    return { kind: 'not-tar', reason: `it has ${start.length} bytes, fewer than one tar header (512)` };
  const block = start.subarray(0, TAR_BLOCK);
  if (block.every((byte) => byte === 0)) return { kind: 'tar', root: null }; // an empty archive: end blocks only
  if (!checksumMatches(block))
    return { kind: 'not-tar', reason: 'its first 512 bytes are not a tar header (the checksum does not match)' };
  const name = field(block, 0, 100);
  const type = String.fromCharCode(block[156] ?? 0);
  const isRoot = (name === './' || name === '.') && (type === '5' || type === '\0');
  if (!isRoot) return { kind: 'tar', root: null };
  return {
    kind: 'tar',
    root: {
      mode: octal(block, 100, 8) & 0o7777,
      uid: octal(block, 108, 8) || 0,
      gid: octal(block, 116, 8) || 0,
      mtime: octal(block, 136, 12) || 0,
    },
  };
}
