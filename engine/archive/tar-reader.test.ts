import { describe, expect, it } from 'vitest';
import { parsePaxRecords, TarReader, type TarHeader } from './tar-reader.js';
import { createTar } from './tar-writer.js';

function read(archive: Buffer, chunkSize = archive.length) {
  const entries: TarHeader[] = [];
  const contents = new Map<string, Buffer[]>();
  const reader = new TarReader({
    entry: (header) => {
      entries.push(header);
      contents.set(header.path, []);
    },
    data: (chunk) => contents.get(entries.at(-1)!.path)!.push(Buffer.from(chunk)),
  });
  for (let offset = 0; offset < archive.length; offset += chunkSize) reader.push(archive.subarray(offset, offset + chunkSize));
  return { entries, content: (path: string) => Buffer.concat(contents.get(path) ?? []).toString(), finished: reader.finished };
}

/** A PAX extended header block plus its records, as Go's archive/tar writes for long names. */
function paxHeader(records: Record<string, string>): Buffer {
  const body = Object.entries(records)
    .map(([key, value]) => {
      const record = ` ${key}=${value}\n`;
      let length = record.length + 1;
      while (`${length}${record}`.length !== length) length += 1;
      return `${length}${record}`;
    })
    .join('');
  const block = createTar([{ path: 'PaxHeaders/x', content: Buffer.from(body), mode: 0o644 }]);
  block[156] = 'x'.charCodeAt(0); // the reader does not check the checksum
  return block.subarray(0, block.length - 1024); // without the end-of-archive blocks
}

describe('TarReader', () => {
  const archive = createTar([
    { path: 'etc', mode: 0o755 },
    { path: 'etc/hostname', content: Buffer.from('box\n'), mode: 0o644 },
    { path: 'etc/motd', content: Buffer.from('x'.repeat(1500)), mode: 0o600 },
  ]);

  it('reads headers and content, whatever the chunk size', () => {
    for (const chunkSize of [archive.length, 512, 100, 7]) {
      const result = read(archive, chunkSize);
      expect(result.entries.map((entry) => [entry.path, entry.type, entry.size])).toEqual([
        ['etc/', 'directory', 0],
        ['etc/hostname', 'file', 4],
        ['etc/motd', 'file', 1500],
      ]);
      expect(result.content('etc/hostname')).toBe('box\n');
      expect(result.content('etc/motd')).toBe('x'.repeat(1500));
      expect(result.finished).toBe(true);
    }
  });

  it('keeps mode and time', () => {
    const [, hostname] = read(archive).entries;
    expect(hostname!.mode).toBe(0o644);
    expect(Math.abs(hostname!.mtime - Date.now() / 1000)).toBeLessThan(60);
  });

  it('takes long names and link targets from PAX headers', () => {
    const longName = `deep/${'a'.repeat(150)}/file.txt`;
    const link = createTar([{ path: 'short', content: Buffer.from('hi'), mode: 0o644 }]).subarray(0, 1024);
    const withPax = Buffer.concat([paxHeader({ path: longName }), link, Buffer.alloc(1024)]);
    const result = read(withPax, 300);
    expect(result.entries.map((entry) => entry.path)).toEqual([longName]);
    expect(result.content(longName)).toBe('hi');
  });

  it('parses PAX records, values with spaces and "=" included', () => {
    expect(parsePaxRecords(Buffer.from('22 path=a b=c/d e.txt\n20 linkpath=/target\n'))).toEqual({
      path: 'a b=c/d e.txt',
      linkpath: '/target',
    });
  });
});
