/**
 * The built image's rootfs.tar (what `wsl --import` gets on Windows): a valid tar that GNU tar reads
 * the same way Berth's check does, with the engine, busybox and Berth's init, made from the same tree
 * as rootfs.img (dockerd's bytes compared through debugfs), and listed in SHA256SUMS.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRootfsTar, readTarEntries, ROOTFS_TAR } from './rootfs-tar.js';
import { testImageDir } from '../testing/test-image.js';

const imageDir = testImageDir();
const tarPath = path.join(imageDir, ROOTFS_TAR);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const big = { maxBuffer: 512 * 1024 * 1024 };

describe('the built rootfs.tar', () => {
  it('is a valid tar with what the WSL distribution needs, the same tree as rootfs.img', () => {
    if (!fs.existsSync(tarPath)) throw new Error(`No ${tarPath}: run npm run vm:image first.`);
    const check = checkRootfsTar(imageDir);
    const entries = readTarEntries(tarPath);
    expect(check.entries).toBe(entries.length);
    expect(entries.length).toBeGreaterThan(100);

    // GNU tar, an independent reader, lists the same entries.
    const listed = execFileSync('tar', ['-tf', tarPath], { encoding: 'utf8', ...big })
      .trim()
      .split('\n')
      .map((name) => name.replace(/^\.\//, '').replace(/\/$/, '') || '.');
    expect(entries.map((entry) => entry.name)).toEqual(listed);
    // Everything owned by root, whoever built it.
    const owners = new Set(
      execFileSync('tar', ['-tvf', tarPath, '--numeric-owner'], { encoding: 'utf8', ...big })
        .trim()
        .split('\n')
        .map((line) => line.split(/\s+/)[1]),
    );
    expect([...owners]).toEqual(['0/0']);

    // Berth's init under WSL's path is this checkout's init.sh.
    const init = execFileSync('tar', ['-xOf', tarPath, './usr/lib/berth/init'], big);
    expect(init.equals(fs.readFileSync(path.join(import.meta.dirname, 'init.sh')))).toBe(true);
    // The same dockerd as in rootfs.img.
    const fromTar = execFileSync('tar', ['-xOf', tarPath, './usr/sbin/dockerd'], big);
    const fromImage = execFileSync('debugfs', ['-R', 'cat /usr/sbin/dockerd', path.join(imageDir, 'rootfs.img')], {
      ...big,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(fromTar.length).toBeGreaterThan(10_000_000);
    expect(sha256(fromTar)).toBe(sha256(fromImage));

    const sums = fs.readFileSync(path.join(imageDir, 'SHA256SUMS'), 'utf8');
    expect(sums).toContain(`${sha256(fs.readFileSync(tarPath))}  ${ROOTFS_TAR}`);
  });
});
