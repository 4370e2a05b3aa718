import { describe, expect, it } from 'vitest';
import { containerContract, UPLOAD_CHUNK_BYTES } from './container-contract.js';

const messages = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) =>
  result.error?.issues.map((issue) => issue.message) ?? [];

describe('the container contract', () => {
  it('checks a new name with the engine’s rule, in words', () => {
    const rename = containerContract.rename.args;
    expect(rename.safeParse({ id: 'web', name: 'web_2.old-1' }).success).toBe(true);
    expect(rename.safeParse({ id: 'web', name: '/web' }).success).toBe(true);
    expect(messages(rename.safeParse({ id: 'web', name: 'no spaces' }))).toEqual([
      'A container name starts with a letter or digit and contains only letters, digits, "_", "." and "-".',
    ]);
    expect(messages(rename.safeParse({ id: 'web', name: '' }))[0]).toBe('A name is required.');
  });

  it('bounds an upload chunk to one wire message and requires base64', () => {
    const chunk = containerContract.uploadChunk.args;
    const uploadId = '3b241101-e2bb-4255-8caf-4136c566a962';
    const full = Buffer.alloc(UPLOAD_CHUNK_BYTES, 1).toString('base64');
    expect(chunk.safeParse({ uploadId, base64: full }).success).toBe(true);
    expect(chunk.safeParse({ uploadId, base64: `${full}AAAA` }).success).toBe(false);
    expect(messages(chunk.safeParse({ uploadId, base64: 'not base64!' }))).toEqual(['Not base64.']);
  });

  it('refuses uploads over 256 MiB with the limit named', () => {
    const start = containerContract.uploadStart.args;
    const result = start.safeParse({ id: 'web', directory: '/tmp', name: 'big', size: 257 * 1024 * 1024 });
    expect(messages(result)).toEqual(['Files up to 256 MiB can be uploaded.']);
  });

  it('takes only absolute container paths and RFC 3339 cursor times', () => {
    expect(containerContract.files.args.safeParse({ id: 'web', path: 'etc' }).success).toBe(false);
    const before = { id: 'web', limit: 10, since: null, density: null, loaded: null };
    expect(containerContract.logsBefore.args.safeParse({ ...before, before: { time: 'yesterday', shown: 0 } }).success).toBe(
      false,
    );
  });

  it('refuses a cursor time of the right shape that is no real time (found by the fuzzer)', () => {
    const before = { id: 'web', limit: 10, since: null, density: null, loaded: null };
    const cursor = (time: string) => containerContract.logsBefore.args.safeParse({ ...before, before: { time, shown: 0 } });
    expect(messages(cursor('1314-51-81T04:84:91Z'))).toEqual(['Not a real time (a month, day, hour or minute out of range).']);
    expect(cursor('2026-12-07T05:30:00.123456789Z').success).toBe(true);
  });
});
