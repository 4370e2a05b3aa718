import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VmError } from '../vm-error.js';
import { verifyVmImage } from './image-check.js';

let imageDir: string;
let stateDir: string;

function writeImage(files: Record<string, Buffer>): void {
  const sums = Object.entries(files).map(([name, content]) => {
    fs.writeFileSync(path.join(imageDir, name), content);
    return `${createHash('sha256').update(content).digest('hex')}  ${name}\n`;
  });
  fs.writeFileSync(path.join(imageDir, 'SHA256SUMS'), sums.join(''));
}

function rebuildError(): VmError {
  try {
    verifyVmImage(imageDir, stateDir);
  } catch (error) {
    if (error instanceof VmError) return error;
    throw error;
  }
  throw new Error('expected a VmError');
}

const kernel = Buffer.concat([Buffer.from('7f454c46', 'hex'), Buffer.alloc(4096, 1)]);
const initramfs = Buffer.concat([Buffer.from('02214c18', 'hex'), Buffer.alloc(4096, 2)]);
// An ext4 superblock's magic sits 1080 bytes in.
const rootImage = Buffer.concat([Buffer.alloc(1080), Buffer.from('53ef', 'hex'), Buffer.alloc(4096, 3)]);

beforeEach(() => {
  imageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-image-'));
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-state-'));
});
afterEach(() => {
  fs.rmSync(imageDir, { recursive: true, force: true });
  fs.rmSync(stateDir, { recursive: true, force: true });
});

describe('verifyVmImage', () => {
  it('accepts an intact image and remembers it', () => {
    writeImage({ vmlinux: kernel, 'initramfs.img': initramfs, 'rootfs.img': rootImage });
    expect(verifyVmImage(imageDir, stateDir)).toEqual({
      kernelPath: path.join(imageDir, 'vmlinux'),
      initrdPath: path.join(imageDir, 'initramfs.img'),
      rootImagePath: path.join(imageDir, 'rootfs.img'),
    });
    expect(fs.existsSync(path.join(stateDir, 'image-verified.json'))).toBe(true);
  });

  it('asks for a rebuild when a file is missing', () => {
    writeImage({ vmlinux: kernel });
    const error = rebuildError();
    expect(error.rebuild).toBe(true);
    expect(error.message).toMatch(/^The VM image is missing \(.*initramfs\.img\)\. Rebuild it with npm run vm:image\.$/);
  });

  it('asks for a rebuild when the initramfs was truncated after a good check', () => {
    writeImage({ vmlinux: kernel, 'initramfs.img': initramfs, 'rootfs.img': rootImage });
    verifyVmImage(imageDir, stateDir);
    fs.truncateSync(path.join(imageDir, 'initramfs.img'), 1000);
    const error = rebuildError();
    expect(error.rebuild).toBe(true);
    expect(error.message).toMatch(
      /initramfs\.img is damaged \(its checksum does not match\)\. Rebuild it with npm run vm:image\.$/,
    );
  });

  it('asks for a rebuild when a file is not what its name says, or the build left no checksums', () => {
    writeImage({ vmlinux: kernel, 'initramfs.img': Buffer.from('not an archive'), 'rootfs.img': rootImage });
    expect(rebuildError().message).toMatch(/initramfs\.img is damaged \(not a initramfs\.img\)/);
    writeImage({ vmlinux: kernel, 'initramfs.img': initramfs, 'rootfs.img': Buffer.alloc(4096) });
    expect(rebuildError().message).toMatch(/rootfs\.img is damaged \(not a rootfs\.img\)/);
    fs.rmSync(path.join(imageDir, 'SHA256SUMS'));
    expect(rebuildError().message).toMatch(/has no SHA256SUMS/);
  });
});
