import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configTar } from './config-tar.js';

let dir: string | null = null;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('the configuration tar', () => {
  it('is read back by tar (what busybox tar does in the distribution) with names, contents and mode 0600', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-config-tar-'));
    const key = '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n';
    const big = 'x'.repeat(1300); // spans three blocks, the last partly padded
    const archive = path.join(dir, 'config.tar');
    fs.writeFileSync(
      archive,
      configTar({ 'server-key.pem': key, 'daemon.json': '{}', 'engine-port': '40123', big }, 1_700_000_000),
    );
    const listing = execFileSync('tar', ['-tvf', archive, '--numeric-owner'], { encoding: 'utf8' });
    expect(
      listing
        .trim()
        .split('\n')
        .map((line) => line.split(/\s+/)[0]),
    ).toEqual(['-rw-------', '-rw-------', '-rw-------', '-rw-------']);
    expect(listing).toContain('0/0');
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    execFileSync('tar', ['-xf', archive, '-C', out]);
    expect(fs.readFileSync(path.join(out, 'server-key.pem'), 'utf8')).toBe(key);
    expect(fs.readFileSync(path.join(out, 'engine-port'), 'utf8')).toBe('40123');
    expect(fs.readFileSync(path.join(out, 'big'), 'utf8')).toBe(big);
    expect(fs.readdirSync(out).sort()).toEqual(['big', 'daemon.json', 'engine-port', 'server-key.pem']);
  });

  it('refuses a name that would land outside the configuration folder', () => {
    expect(() => configTar({ '../etc/passwd': 'x' })).toThrow(/not allowed/);
    expect(() => configTar({ '.hidden': 'x' })).toThrow(/not allowed/);
  });
});
