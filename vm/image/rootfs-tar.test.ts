import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VmError } from '../vm-error.js';
import { checkRootfsTar, readTarEntries, ROOTFS_TAR } from './rootfs-tar.js';

let dir: string;
let tree: string;
let imageDir: string;

/** A root tree with what Berth needs, in the usr-merged layout build-image.sh makes. */
function makeTree(omit: string[] = []): void {
  const file = (name: string, mode = 0o755) => {
    if (omit.includes(name)) return;
    fs.mkdirSync(path.join(tree, path.dirname(name)), { recursive: true });
    fs.writeFileSync(path.join(tree, name), `#!/bin/sh\n# ${name}\n`, { mode });
  };
  for (const name of [
    'usr/sbin/dockerd',
    'usr/bin/containerd',
    'usr/sbin/runc',
    'usr/bin/crun',
    'usr/lib/berth/crun-runtime',
    'usr/lib/berth/libnetwork-setkey',
    'usr/bin/nc.openbsd',
    'usr/bin/busybox',
    'usr/lib/berth/init',
    'init',
  ])
    file(name);
  file('etc/wsl.conf', 0o644);
  fs.symlinkSync('/usr/bin/busybox', path.join(tree, 'usr/bin/sh'));
  fs.symlinkSync('usr/bin', path.join(tree, 'bin'));
}

function pack(...tarOptions: string[]): string {
  const out = path.join(imageDir, ROOTFS_TAR);
  execFileSync('tar', ['-C', tree, ...tarOptions, '-cf', out, '.']);
  return out;
}

function checkError(): VmError {
  try {
    checkRootfsTar(imageDir);
  } catch (error) {
    if (error instanceof VmError) return error;
    throw error;
  }
  throw new Error('expected a VmError');
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-rootfs-tar-'));
  tree = path.join(dir, 'root');
  imageDir = path.join(dir, 'image');
  fs.mkdirSync(tree);
  fs.mkdirSync(imageDir);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the rootfs tar check', () => {
  it('reads GNU and pax archives, long names included, as tar itself lists them', () => {
    makeTree();
    const deep = `usr/share/${'d'.repeat(90)}/${'f'.repeat(120)}`; // past ustar's 100 + 155
    fs.mkdirSync(path.join(tree, path.dirname(deep)), { recursive: true });
    fs.writeFileSync(path.join(tree, deep), 'x'.repeat(700));
    for (const format of ['--format=gnu', '--format=pax']) {
      const file = pack(format);
      const entries = readTarEntries(file);
      const listed = execFileSync('tar', ['-tf', file], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map((name) => name.replace(/^\.\//, '').replace(/\/$/, '') || '.');
      expect(entries.map((entry) => entry.name).sort()).toEqual(listed.sort());
      expect(entries.find((entry) => entry.name === deep)).toMatchObject({ type: 'file', size: 700 });
      expect(entries.find((entry) => entry.name === 'bin')).toMatchObject({ type: 'symlink', linkTarget: 'usr/bin' });
      expect(checkRootfsTar(imageDir)).toEqual({ path: file, entries: entries.length });
    }
  });

  it('says what is missing or wrong', () => {
    makeTree(['usr/sbin/dockerd']);
    fs.chmodSync(path.join(tree, 'usr/lib/berth/init'), 0o644);
    pack();
    const error = checkError();
    expect(error.message).toMatch(
      /is incomplete: usr\/sbin\/dockerd is missing; usr\/lib\/berth\/init is not executable\. Rebuild it with npm run vm:image\.$/,
    );
    expect(error.rebuild).toBe(true);
  });

  it('refuses a truncated or corrupted archive, and a missing one', () => {
    expect(checkError().message).toMatch(/has no rootfs\.tar/);
    makeTree();
    const file = pack();
    const whole = fs.readFileSync(file);
    fs.writeFileSync(file, whole.subarray(0, 2048 + 100));
    expect(checkError().message).toMatch(
      /is damaged: (the data of the entry at byte \d+ runs past the end|it ends at byte \d+ without)/,
    );
    const corrupted = Buffer.from(whole);
    corrupted[10] = corrupted[10]! ^ 0x20; // a name byte of the first header
    fs.writeFileSync(file, corrupted);
    expect(checkError().message).toMatch(/the header at byte 0 has a wrong checksum/);
  });
});
