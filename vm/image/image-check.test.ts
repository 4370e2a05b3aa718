import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VmError } from '../vm-error.js';
import type { GuestArch } from '../qemu/machine-profile.js';
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

function rebuildError(arch: GuestArch = 'amd64'): VmError {
  try {
    verifyVmImage(imageDir, stateDir, arch);
  } catch (error) {
    if (error instanceof VmError) return error;
    throw error;
  }
  throw new Error('expected a VmError');
}

const kernel = Buffer.concat([Buffer.from('7f454c46', 'hex'), Buffer.alloc(4096, 1)]);
// An arm64 boot Image says "ARMd" 56 bytes in.
const armKernel = Buffer.concat([Buffer.alloc(56), Buffer.from('ARMd'), Buffer.alloc(4096, 4)]);
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

  it('accepts an arm64 image, whose kernel is a boot Image', () => {
    writeImage({ Image: armKernel, 'initramfs.img': initramfs, 'rootfs.img': rootImage });
    fs.writeFileSync(path.join(imageDir, 'manifest.txt'), 'key 1\narch arm64\nkernel 6.12\n');
    expect(verifyVmImage(imageDir, stateDir, 'arm64').kernelPath).toBe(path.join(imageDir, 'Image'));
  });

  it('says which architecture an image of the wrong one is built for, and how to build the right one', () => {
    writeImage({ Image: armKernel, 'initramfs.img': initramfs, 'rootfs.img': rootImage });
    fs.writeFileSync(path.join(imageDir, 'manifest.txt'), 'key 1\narch arm64\nkernel 6.12\n');
    const error = rebuildError('amd64');
    expect(error.rebuild).toBe(true);
    expect(error.message).toBe(
      `The VM image in ${imageDir} is built for arm64, but this VM needs an amd64 image. Build it with npm run vm:image -- amd64.`,
    );
  });

  it('takes an image whose manifest has no arch line (built before arm64) for amd64', () => {
    writeImage({ vmlinux: kernel, 'initramfs.img': initramfs, 'rootfs.img': rootImage });
    fs.writeFileSync(path.join(imageDir, 'manifest.txt'), 'key 1\nkernel 6.12\n');
    expect(rebuildError('arm64').message).toMatch(/is built for amd64, but this VM needs an arm64 image/);
  });

  it('tells the architecture by the kernel file when there is no manifest', () => {
    writeImage({ vmlinux: kernel, 'initramfs.img': initramfs, 'rootfs.img': rootImage });
    expect(rebuildError('arm64').message).toMatch(/is built for amd64, but this VM needs an arm64 image/);
  });

  it('refuses an amd64 kernel put in an arm64 image under the arm64 name', () => {
    writeImage({ Image: kernel, 'initramfs.img': initramfs, 'rootfs.img': rootImage });
    fs.writeFileSync(path.join(imageDir, 'manifest.txt'), 'arch arm64\n');
    expect(rebuildError('arm64').message).toMatch(/Image is damaged \(not a Image\)/);
  });
});
