/**
 * A streaming tar reader: headers and content as they arrive, never the whole archive in memory. The
 * engine's archive endpoint writes ustar with PAX extended headers for long names (Go's archive/tar);
 * GNU long names are read too. Used to list a directory from its headers and to take one file out of
 * the archive for a download.
 */
export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface TarHeader {
  path: string;
  type: TarEntryType;
  size: number;
  mode: number;
  /** Seconds since the epoch. */
  mtime: number;
  linkTarget: string;
}

export interface TarHandlers {
  entry(header: TarHeader): void;
  /** Content of the entry last announced (regular files only). */
  data?(chunk: Buffer): void;
}

const BLOCK = 512;

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}

function number(block: Buffer, start: number, length: number): number {
  const field = block.subarray(start, start + length);
  if (field[0]! & 0x80) {
    // base-256 (GNU) for values that do not fit in octal
    let value = field[0]! & 0x7f;
    for (let index = 1; index < field.length; index += 1) value = value * 256 + field[index]!;
    return value;
  }
  const digits = text(block, start, length).trim();
  return digits ? parseInt(digits, 8) : 0;
}

function entryType(flag: string): TarEntryType {
  switch (flag) {
    case '0':
    case '':
    case '7':
      return 'file';
    case '5':
      return 'directory';
    case '2':
      return 'symlink';
    case '1':
      return 'hardlink';
    default:
      return 'other';
  }
}

/** "path=…" and "linkpath=…" records of a PAX extended header ("LEN key=value\n" each). */
export function parsePaxRecords(content: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let offset = 0;
  while (offset < content.length) {
    const space = content.indexOf(0x20, offset);
    if (space < 0) break;
    const length = parseInt(content.subarray(offset, space).toString('ascii'), 10);
    if (!(length > 0)) break;
    const record = content.subarray(space + 1, offset + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals > 0) records[record.slice(0, equals)] = record.slice(equals + 1);
    offset += length;
  }
  return records;
}

/** Where an entry's content goes: the handler, a metadata record for the next entry, or nowhere. */
type Sink = 'data' | 'skip' | MetaKind;
type MetaKind = 'pax' | 'gnu-name' | 'gnu-link';

type Phase = { kind: 'header' } | { kind: 'content'; remaining: number; padding: number; sink: Sink } | { kind: 'end' };

export class TarReader {
  private phase: Phase = { kind: 'header' };
  private partial: Buffer | null = null;
  private meta: Buffer[] = [];
  private overrides: { path?: string; linkTarget?: string } = {};

  constructor(private readonly handlers: TarHandlers) {}

  /** True once the end-of-archive blocks were read. */
  get finished(): boolean {
    return this.phase.kind === 'end';
  }

  push(chunk: Buffer): void {
    let data = this.partial ? Buffer.concat([this.partial, chunk]) : chunk;
    this.partial = null;
    while (data.length > 0 && this.phase.kind !== 'end') {
      if (this.phase.kind === 'header') {
        if (data.length < BLOCK) {
          this.partial = Buffer.from(data);
          return;
        }
        this.header(data.subarray(0, BLOCK));
        data = data.subarray(BLOCK);
        continue;
      }
      const phase = this.phase;
      if (phase.remaining > 0) {
        const take = Math.min(phase.remaining, data.length);
        const piece = data.subarray(0, take);
        if (phase.sink === 'data') this.handlers.data?.(piece);
        else if (phase.sink !== 'skip') this.meta.push(Buffer.from(piece));
        phase.remaining -= take;
        data = data.subarray(take);
        if (phase.remaining === 0 && phase.sink !== 'data' && phase.sink !== 'skip') this.finishMeta(phase.sink);
      }
      if (phase.remaining === 0) {
        const skip = Math.min(phase.padding, data.length);
        phase.padding -= skip;
        data = data.subarray(skip);
        if (phase.padding === 0) this.phase = { kind: 'header' };
      }
    }
  }

  private header(block: Buffer): void {
    if (block.every((byte) => byte === 0)) {
      // The first of two zero blocks ends the archive; one is enough to stop.
      this.phase = { kind: 'end' };
      return;
    }
    const flag = String.fromCharCode(block[156]!).replace('\0', '');
    const size = number(block, 124, 12);
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    const meta: Sink | null =
      flag === 'x' ? 'pax' : flag === 'L' ? 'gnu-name' : flag === 'K' ? 'gnu-link' : flag === 'g' ? 'skip' : null;
    if (meta) {
      // Global PAX headers ('g') carry nothing we use.
      this.meta = [];
      this.phase = { kind: 'content', remaining: size, padding, sink: meta };
      this.finishContentless();
      return;
    }
    const magic = text(block, 257, 6);
    const prefix = magic.startsWith('ustar') ? text(block, 345, 155) : '';
    const name = text(block, 0, 100);
    const type = entryType(flag);
    const header: TarHeader = {
      path: this.overrides.path ?? (prefix ? `${prefix}/${name}` : name),
      type,
      size: type === 'file' ? size : 0,
      mode: number(block, 100, 8),
      mtime: number(block, 136, 12),
      linkTarget: this.overrides.linkTarget ?? text(block, 157, 100),
    };
    this.overrides = {};
    this.handlers.entry(header);
    this.phase = { kind: 'content', remaining: size, padding, sink: type === 'file' ? 'data' : 'skip' };
    this.finishContentless();
  }

  private finishContentless(): void {
    if (this.phase.kind === 'content' && this.phase.remaining === 0 && this.phase.padding === 0) this.phase = { kind: 'header' };
  }

  private finishMeta(kind: MetaKind): void {
    const content = Buffer.concat(this.meta);
    this.meta = [];
    if (kind === 'pax') {
      const records = parsePaxRecords(content);
      if (records.path !== undefined) this.overrides.path = records.path;
      if (records.linkpath !== undefined) this.overrides.linkTarget = records.linkpath;
    } else {
      const value = text(content, 0, content.length);
      if (kind === 'gnu-name') this.overrides.path = value;
      else this.overrides.linkTarget = value;
    }
  }
}
