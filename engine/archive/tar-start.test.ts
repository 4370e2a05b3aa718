import { describe, expect, it } from 'vitest';
import { inspectTarStart } from './tar-start.js';
import { createTar } from './tar-writer.js';

/** The first block of a real `GET /containers/{id}/archive?path=/volume/.` answer (docker 20.10): the root "./". */
const ENGINE_EXPORT_HEAD = Buffer.from(
  'Li8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAADAwNDA3NTUAMDAwMDAwMAAwMDAwMDAwADAwMDAwMDAwMDAwADE1MzA1NDQwMTcyADAxMTIxNgAgNQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB1c3RhcgAwMHJvb3QAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAcm9vdAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAwMDAwMDAwADAwMDAwMDAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  'base64',
);
/** The first bytes of `gzip -c` of that archive. */
const GZIP_HEAD = Buffer.from('H4sICH5AFmsAA2EudGFyAA==', 'base64');

describe('inspectTarStart', () => {
  it("reads the engine's export and its root directory's mode, owner and time", () => {
    expect(inspectTarStart(ENGINE_EXPORT_HEAD)).toEqual({
      kind: 'tar',
      root: { mode: 0o755, uid: 0, gid: 0, mtime: 0o15305440172 },
    });
  });

  it('takes a tar that does not start with the root, and says there is no root entry', () => {
    const tar = createTar([{ path: 'data/file', content: Buffer.from('x'), mode: 0o600 }]);
    expect(inspectTarStart(tar)).toEqual({ kind: 'tar', root: null });
  });

  it('reads a root entry with its owner, sticky bit and time', () => {
    const tar = createTar([{ path: './', mode: 0o1750, uid: 42, gid: 43, mtime: 1_600_000_000 }]);
    expect(inspectTarStart(tar)).toEqual({ kind: 'tar', root: { mode: 0o1750, uid: 42, gid: 43, mtime: 1_600_000_000 } });
  });

  it('takes an empty archive (end blocks only)', () => {
    expect(inspectTarStart(Buffer.alloc(1024))).toEqual({ kind: 'tar', root: null });
  });

  it('names a gzip-compressed tar and what to do', () => {
    expect(inspectTarStart(Buffer.concat([GZIP_HEAD, Buffer.alloc(600)]))).toEqual({
      kind: 'not-tar',
      reason: 'it is gzip-compressed (a .tar.gz?); decompress it to a plain .tar first',
    });
  });

  it('names a zip archive', () => {
    expect(inspectTarStart(Buffer.from('PK\x03\x04rest of a zip file', 'latin1'))).toMatchObject({
      reason: 'it is a zip archive, not a tar',
    });
  });

  it('refuses text, a short file and an empty file, each with its reason', () => {
    expect(inspectTarStart(Buffer.from('hello\n'.repeat(200)))).toEqual({
      kind: 'not-tar',
      reason: 'its first 512 bytes are not a tar header (the checksum does not match)',
    });
    expect(inspectTarStart(Buffer.from('hello\n'))).toEqual({
      kind: 'not-tar',
      reason: 'it has 6 bytes, fewer than one tar header (512)',
    });
    expect(inspectTarStart(Buffer.alloc(0))).toEqual({ kind: 'not-tar', reason: 'it is empty' });
  });

  it('refuses a header whose checksum was damaged', () => {
    const damaged = Buffer.from(ENGINE_EXPORT_HEAD);
    damaged[0] = 0x41;
    expect(inspectTarStart(damaged).kind).toBe('not-tar');
  });
});
