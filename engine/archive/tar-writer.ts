/**
 * A minimal ustar writer: regular files and directories, enough to hand the engine a busybox for the
 * debug helper (`POST /images/create?fromSrc=-`, `PUT /containers/{id}/archive`). The engine API takes
 * tar streams, and going through it (not the host's filesystem) works the same when dockerd runs in a VM.
 */
export interface TarEntry {
  path: string;
  /** Directories have no content. */
  content?: Buffer;
  mode: number;
  /** Owner and time; root and now when not given. */
  uid?: number;
  gid?: number;
  /** Seconds since the epoch. */
  mtime?: number;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(entry: TarEntry): Buffer {
  const block = Buffer.alloc(BLOCK);
  const isDirectory = entry.content === undefined;
  const name = isDirectory && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
  if (Buffer.byteLength(name) > 100) throw new Error(`tar path too long: ${name}`);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(entry.mode, 8), 100, 'ascii');
  block.write(octal(entry.uid ?? 0, 8), 108, 'ascii');
  block.write(octal(entry.gid ?? 0, 8), 116, 'ascii');
  block.write(octal(entry.content?.length ?? 0, 12), 124, 'ascii');
  block.write(octal(entry.mtime ?? Math.floor(Date.now() / 1000), 12), 136, 'ascii');
  block.write('        ', 148, 'ascii'); // checksum is computed with spaces here
  block.write(isDirectory ? '5' : '0', 156, 'ascii');
  block.write('ustar\u000000', 257, 'ascii');
  let checksum = 0;
  for (const byte of block) checksum += byte;
  block.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

export function createTar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(header(entry));
    if (entry.content) {
      parts.push(entry.content);
      const padding = (BLOCK - (entry.content.length % BLOCK)) % BLOCK;
      if (padding) parts.push(Buffer.alloc(padding));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2)); // end of archive
  return Buffer.concat(parts);
}
