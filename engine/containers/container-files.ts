/**
 * A container's filesystem through the engine's archive API, so it works for stopped containers, for
 * images without `ls`, and with an engine in a VM: a directory is listed from the headers of its tar
 * (`GET /containers/{id}/archive`), a file or folder is downloaded from the same tar, and a file is
 * uploaded as a one-entry tar (`PUT`).
 *
 * The engine archives a directory with everything under it, so listing a big tree reads more than its
 * first level; the reading stops after a bound and the listing says it is partial.
 */
import { posix } from 'node:path';
import type { DownloadInfo, FileEntry, FileEntryType, FileListing } from './container-types.js';
import type { EngineConnection } from '../core/index.js';
import { openEngineStream, readAvailable } from '../core/index.js';
import { EngineError, toEngineError } from '../core/index.js';
import { TarReader, type TarHeader } from '../archive/index.js';
import { createTar } from '../archive/index.js';
import { permissionString } from '../archive/index.js';

/** Entries shown at most in one folder. */
export const MAX_LISTED = 5_000;
/** Tar entries read at most to list one folder (its subtree comes along). */
const MAX_SCANNED = 200_000;
const MAX_SCANNED_BYTES = 512 * 1024 * 1024;
const CHUNK_BYTES = 192 * 1024;
/** Go's os.FileMode bits, as the archive stat header carries them. */
const GO_MODE_DIR = 2 ** 31;
const GO_MODE_SYMLINK = 2 ** 27;

export interface PathStat {
  name: string;
  size: number;
  mode: number;
  linkTarget: string;
}

/** An absolute, normalised container path; throws a sentence for anything else. */
export function normaliseContainerPath(path: string): string {
  if (!path.startsWith('/'))
    throw new EngineError('invalid-argument', `"${path}" is not an absolute path (it must start with /).`);
  const normal = posix.normalize(path);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

export function parsePathStat(header: string | string[] | undefined): PathStat | null {
  if (typeof header !== 'string') return null;
  try {
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as PathStat;
  } catch {
    return null;
  }
}

export const isDirectoryStat = (stat: PathStat) => stat.mode >= GO_MODE_DIR;
export const isSymlinkStat = (stat: PathStat) => !isDirectoryStat(stat) && Math.floor(stat.mode / GO_MODE_SYMLINK) % 2 === 1;

function fileType(header: TarHeader): FileEntryType {
  return header.type === 'hardlink' ? 'file' : header.type;
}

/** Collects a folder's direct children from the tar of its subtree; the first entry is the folder itself. */
export class FolderCollector {
  private prefix: string | null = null;
  readonly entries: FileEntry[] = [];
  scanned = 0;
  overflow = false;

  add(header: TarHeader): void {
    this.scanned += 1;
    if (this.prefix === null) {
      this.prefix = header.path.endsWith('/') ? header.path : `${header.path}/`;
      return;
    }
    if (!header.path.startsWith(this.prefix)) return;
    const rest = header.path.slice(this.prefix.length).replace(/\/$/, '');
    if (!rest || rest.includes('/')) return;
    if (this.entries.length >= MAX_LISTED) {
      this.overflow = true;
      return;
    }
    this.entries.push({
      name: rest,
      type: fileType(header),
      size: header.size,
      modified: header.mtime,
      permissions: permissionString(header.mode & 0o7777),
      linkTarget: header.type === 'symlink' || header.type === 'hardlink' ? header.linkTarget : null,
    });
  }

  sorted(): FileEntry[] {
    const rank = (entry: FileEntry) => (entry.type === 'directory' ? 0 : 1);
    return [...this.entries].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  }
}

export class ContainerFiles {
  constructor(private readonly connection: EngineConnection) {}

  private archive(id: string, path: string, signal: AbortSignal | undefined, verb: string) {
    return openEngineStream(this.connection, {
      path: `/containers/${encodeURIComponent(id)}/archive`,
      query: { path },
      signal,
      context: `${verb} ${path} in ${id}`,
    });
  }

  /** The direct children of a folder (a link to a folder is followed). */
  async list(id: string, rawPath: string, signal?: AbortSignal): Promise<FileListing> {
    const path = normaliseContainerPath(rawPath);
    // A trailing slash makes the engine follow a symlink to a folder.
    const response = await this.archive(id, path === '/' ? '/' : `${path}/`, signal, 'list').catch((error: unknown) => {
      const refined = this.refine(error, id, path);
      // With the trailing slash, a file is "not a directory" to the engine.
      if (/not a directory/i.test(refined.message)) throw new EngineError('invalid-argument', `${path} is a file, not a folder.`);
      throw refined;
    });
    const stat = parsePathStat(response.headers['x-docker-container-path-stat']);
    if (stat && !isDirectoryStat(stat)) {
      response.destroy();
      throw new EngineError('invalid-argument', `${path} is a file, not a folder.`);
    }
    const collector = new FolderCollector();
    const reader = new TarReader({ entry: (header) => collector.add(header) });
    let bytes = 0;
    let cut = false;
    for await (const chunk of readAvailable(response, CHUNK_BYTES)) {
      reader.push(chunk);
      bytes += chunk.length;
      if (reader.finished) break;
      if (collector.scanned > MAX_SCANNED || bytes > MAX_SCANNED_BYTES) {
        cut = true;
        break;
      }
    }
    return { path, entries: collector.sorted(), truncated: cut || collector.overflow };
  }

  /** A file as itself, a folder as a tar; a symlink is followed. */
  async download(
    id: string,
    rawPath: string,
    signal: AbortSignal,
  ): Promise<{ info: DownloadInfo; chunks: AsyncIterable<Buffer> }> {
    const path = normaliseContainerPath(rawPath);
    const response = await this.archive(id, path, signal, 'download').catch((error: unknown) => {
      throw this.refine(error, id, path);
    });
    const stat = parsePathStat(response.headers['x-docker-container-path-stat']);
    if (stat && isSymlinkStat(stat) && stat.linkTarget) {
      response.destroy();
      return this.download(id, posix.resolve(posix.dirname(path), stat.linkTarget), signal);
    }
    const base = path === '/' ? 'root' : posix.basename(path);
    if (!stat || isDirectoryStat(stat)) {
      return { info: { fileName: `${base}.tar`, kind: 'tar', size: null }, chunks: readAvailable(response, CHUNK_BYTES) };
    }
    return {
      info: { fileName: base, kind: 'file', size: stat.size },
      chunks: extractFirstFile(readAvailable(response, CHUNK_BYTES)),
    };
  }

  /**
   * Refuses an upload before any of its bytes arrive (they are held in memory until the last one): the
   * name must be a file name, the container must exist and the folder must be a folder in it.
   */
  async checkUploadTarget(id: string, rawDirectory: string, name: string): Promise<void> {
    const directory = normaliseContainerPath(rawDirectory);
    assertFileName(name);
    this.connection.assertConnected();
    const container = this.connection.docker.getContainer(id);
    // Inspect first: the archive API answers 404 alike for a missing container and a missing folder.
    await container.inspect().catch((error: unknown) => {
      throw toEngineError(error, `find container ${id}`);
    });
    const response = (await container.infoArchive({ path: directory === '/' ? '/' : `${directory}/` }).catch((error: unknown) => {
      const engineError = toEngineError(error, `read ${directory} in ${id}`);
      if (engineError.code === 'not-found')
        throw new EngineError('not-found', `There is no folder ${directory} in container ${id}.`);
      throw engineError;
    })) as { headers?: Record<string, string | string[] | undefined>; resume?: () => void };
    response.resume?.();
    const stat = parsePathStat(response.headers?.['x-docker-container-path-stat']);
    if (stat && !isDirectoryStat(stat)) throw new EngineError('invalid-argument', `${directory} is a file, not a folder.`);
  }

  /** Writes one file into a folder of the container (replacing a file of that name). */
  async upload(id: string, rawDirectory: string, name: string, content: Buffer): Promise<void> {
    const directory = normaliseContainerPath(rawDirectory);
    assertFileName(name);
    this.connection.assertConnected();
    try {
      await this.connection.docker
        .getContainer(id)
        .putArchive(createTar([{ path: name, content, mode: 0o644 }]), { path: directory });
    } catch (error) {
      throw this.refine(error, id, directory);
    }
  }

  /** The engine says "Could not find the file" for a missing container too; tell them apart. */
  private refine(error: unknown, id: string, path: string): EngineError {
    const engineError = toEngineError(error, `read ${path} in ${id}`);
    if (engineError.code === 'not-found' && /could not find the file/i.test(engineError.message)) {
      return new EngineError('not-found', `There is no ${path} in container ${id}.`);
    }
    return engineError;
  }
}

/** One file name for an upload: no folders in it, no "." or "..", and short enough for a tar header. */
function assertFileName(name: string): void {
  if (!name || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw new EngineError('invalid-argument', `"${name}" is not a file name (no "/", not "." or "..").`);
  }
  if (Buffer.byteLength(name) > 100)
    throw new EngineError('invalid-argument', `The file name "${name}" is longer than 100 bytes.`);
}

/** The content of the archive's first regular file, as it streams. */
async function* extractFirstFile(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let out: Buffer[] = [];
  let files = 0;
  let done = false;
  const reader = new TarReader({
    entry: (header) => {
      if (header.type === 'file') files += 1;
      if (files > 1 || (files === 1 && header.type !== 'file')) done = true;
    },
    data: (chunk) => {
      if (files === 1 && !done) out.push(Buffer.from(chunk));
    },
  });
  for await (const chunk of source) {
    reader.push(chunk);
    if (out.length > 0) {
      yield Buffer.concat(out);
      out = [];
    }
    if (done || reader.finished) return;
  }
}
