/**
 * Refuses a VM image that is missing or damaged before QEMU sees it: a truncated initramfs otherwise
 * boots into a kernel panic ("junk in compressed archive") that reads like a Berth bug. Every start
 * checks the files' magic numbers (cheap); the SHA-256 sums that build-image.sh writes are checked
 * once per version of the files (size and mtime), and remembered in the VM's state directory.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { GUEST_ARCHES, machineProfile, type GuestArch } from '../qemu/machine-profile.js';
import { VmError } from '../vm-error.js';

/** The files of an image of either architecture besides its kernel (machineProfile(arch).kernelFile). */
const COMMON_FILES = ['initramfs.img', 'rootfs.img'] as const;
/** The files a VM start reads, for one architecture. */
export function imageFiles(arch: GuestArch): string[] {
  return [machineProfile(arch).kernelFile, ...COMMON_FILES];
}
/** The amd64 image's files (vmlinux, initramfs.img, rootfs.img). */
export const IMAGE_FILES = imageFiles('amd64');
const SUMS_FILE = 'SHA256SUMS';
const MANIFEST_FILE = 'manifest.txt';
const VERIFIED_FILE = 'image-verified.json';
const REBUILD = 'Rebuild it with npm run vm:image';

/** Where each file's magic number is and what it may be. */
function magicOf(name: string, arch: GuestArch): { offset: number; hex: string[] } {
  if (name === 'initramfs.img') return { offset: 0, hex: ['02214c18', '1f8b', '30373037'] }; // legacy lz4, gzip, newc cpio
  if (name === 'rootfs.img') return { offset: 1080, hex: ['53ef'] }; // ext4 superblock s_magic (0xef53, little-endian)
  const { offset, hex } = machineProfile(arch).kernelMagic;
  return { offset, hex: [hex] };
}

/**
 * The architecture the image in imageDir was built for: its manifest's `arch` line (builds before
 * arm64 had none and were amd64), else whichever architecture's kernel file is there; null when
 * neither says.
 */
export function imageArch(imageDir: string): GuestArch | null {
  try {
    const manifest = fs.readFileSync(path.join(imageDir, MANIFEST_FILE), 'utf8');
    const arch = /^arch (\S+)$/m.exec(manifest)?.[1] ?? 'amd64';
    return GUEST_ARCHES.find((known) => known === arch) ?? null;
  } catch {
    return GUEST_ARCHES.find((arch) => fs.existsSync(path.join(imageDir, machineProfile(arch).kernelFile))) ?? null;
  }
}

/** Refuses an image of another architecture with a sentence that says which and how to build the right one. */
function checkArch(imageDir: string, arch: GuestArch): void {
  const built = imageArch(imageDir);
  if (built === null || built === arch) return;
  throw new VmError(
    `The VM image in ${imageDir} is built for ${built}, but this VM needs an ${arch} image. Build it with npm run vm:image -- ${arch}.`,
    { rebuild: true },
  );
}

export interface VmImage {
  kernelPath: string;
  initrdPath: string;
  rootImagePath: string;
}

type Verified = Record<string, { size: number; mtimeMs: number; sha256: string }>;

function readSums(imageDir: string): Map<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(path.join(imageDir, SUMS_FILE), 'utf8');
  } catch {
    throw new VmError(`The VM image in ${imageDir} has no ${SUMS_FILE} (an older or interrupted build). ${REBUILD}.`, {
      rebuild: true,
    });
  }
  const sums = new Map<string, string>();
  for (const match of text.matchAll(/^([0-9a-f]{64}) [ *](\S+)$/gm)) sums.set(match[2]!, match[1]!);
  return sums;
}

function hexAt(file: string, offset: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(4);
    const read = fs.readSync(fd, buffer, 0, 4, offset);
    return buffer.subarray(0, read).toString('hex');
  } finally {
    fs.closeSync(fd);
  }
}

/** In 1 MiB reads: rootfs.img is 215 MB, which a single readFileSync would hold in memory at once. */
function sha256(file: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(1024 * 1024);
  const fd = fs.openSync(file, 'r');
  try {
    for (let read; (read = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0;) hash.update(buffer.subarray(0, read));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

function readVerified(stateDir: string): Verified {
  try {
    return JSON.parse(fs.readFileSync(path.join(stateDir, VERIFIED_FILE), 'utf8')) as Verified;
  } catch {
    return {};
  }
}

/**
 * The image's paths once it is present, built for `arch` and intact; a VmError with `rebuild: true`
 * otherwise.
 */
export function verifyVmImage(imageDir: string, stateDir: string, arch: GuestArch = 'amd64'): VmImage {
  checkArch(imageDir, arch);
  const files = imageFiles(arch);
  for (const name of files) {
    if (!fs.existsSync(path.join(imageDir, name))) {
      throw new VmError(`The VM image is missing (${path.join(imageDir, name)}). ${REBUILD}.`, { rebuild: true });
    }
  }
  const sums = readSums(imageDir);
  const verified = readVerified(stateDir);
  const nowVerified: Verified = {};
  for (const name of files) {
    const file = path.join(imageDir, name);
    const stat = fs.statSync(file);
    const damaged = `The VM image file ${file} is damaged`;
    const { offset, hex } = magicOf(name, arch);
    if (!hex.some((magic) => hexAt(file, offset).startsWith(magic)))
      throw new VmError(`${damaged} (not a ${name}). ${REBUILD}.`, { rebuild: true });
    const expected = sums.get(name);
    if (!expected) throw new VmError(`${damaged}: ${SUMS_FILE} does not list it. ${REBUILD}.`, { rebuild: true });
    const known = verified[file];
    if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs && known.sha256 === expected) {
      nowVerified[file] = known;
      continue;
    }
    if (sha256(file) !== expected) throw new VmError(`${damaged} (its checksum does not match). ${REBUILD}.`, { rebuild: true });
    nowVerified[file] = { size: stat.size, mtimeMs: stat.mtimeMs, sha256: expected };
  }
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(stateDir, VERIFIED_FILE), `${JSON.stringify(nowVerified, null, 2)}\n`);
  return {
    kernelPath: path.join(imageDir, machineProfile(arch).kernelFile),
    initrdPath: path.join(imageDir, 'initramfs.img'),
    rootImagePath: path.join(imageDir, 'rootfs.img'),
  };
}
