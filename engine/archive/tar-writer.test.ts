import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createTar } from './tar-writer.js';

const run = promisify(execFile);

describe('createTar', () => {
  let work: string | undefined;
  afterEach(() => work && rmSync(work, { recursive: true, force: true }));

  it('writes an archive that GNU tar extracts with paths, contents and modes intact', async () => {
    work = mkdtempSync(join(tmpdir(), 'berth-tar-'));
    const content = Buffer.from('#!/bin/sh\necho hi\n'.repeat(100));
    const archive = createTar([
      { path: 'bin', mode: 0o755 },
      { path: 'bin/tool', content, mode: 0o755 },
      { path: 'empty', content: Buffer.alloc(0), mode: 0o644 },
    ]);
    expect(archive.length % 512).toBe(0);
    writeFileSync(join(work, 'a.tar'), archive);
    await run('tar', ['-xf', join(work, 'a.tar'), '-C', work]);
    expect(readFileSync(join(work, 'bin/tool'))).toEqual(content);
    expect(statSync(join(work, 'bin/tool')).mode & 0o777).toBe(0o755);
    expect(statSync(join(work, 'bin')).isDirectory()).toBe(true);
    expect(readFileSync(join(work, 'empty'))).toHaveLength(0);
  });

  it('refuses a path ustar cannot hold', () => {
    expect(() => createTar([{ path: 'x'.repeat(101), content: Buffer.alloc(1), mode: 0o644 }])).toThrow(/too long/);
  });
});
