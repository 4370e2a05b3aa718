/**
 * rootfs.tar: the VM's root file system as a tar, for `wsl --import` (vm/wsl), built by build-image.sh
 * from the same tree as rootfs.img. Checked before an import (a truncated tar would otherwise make a
 * distribution without its engine, found out only when init is missing) and by the image's CI test:
 * every header's checksum, every entry's data inside the file, the end-of-archive blocks, and the
 * files Berth needs present with the right type. Reads only the headers (512 bytes per entry).
 */
import fs from 'node:fs';
import path from 'node:path';
import { VmError } from '../vm-error.js';

export const ROOTFS_TAR = 'rootfs.tar';

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface TarEntry {
  /** Relative, without a leading "./" or a trailing "/". */
  name: string;
  type: TarEntryType;
  mode: number;
  size: number;
  /** A link's target. */
  linkTarget: string;
}

/**
 * What the distribution cannot run without: the engine, its runtimes (crun, the default, through Berth's
 * wrapper and network hook, which needs netcat-openbsd), busybox, and Berth's init under WSL's path.
 */
export const ROOTFS_TAR_REQUIRED: ReadonlyArray<{ name: string; type: TarEntryType; executable?: boolean }> = [
  { name: 'usr/sbin/dockerd', type: 'file', executable: true },
  { name: 'usr/bin/containerd', type: 'file', executable: true },
  { name: 'usr/sbin/runc', type: 'file', executable: true },
  { name: 'usr/bin/crun', type: 'file', executable: true },
  { name: 'usr/lib/berth/crun-runtime', type: 'file', executable: true },
  { name: 'usr/lib/berth/libnetwork-setkey', type: 'file', executable: true },
  { name: 'usr/bin/nc.openbsd', type: 'file', executable: true },
  { name: 'usr/bin/busybox', type: 'file', executable: true },
  { name: 'usr/lib/berth/init', type: 'file', executable: true },
  { name: 'init', type: 'file', executable: true },
  { name: 'etc/wsl.conf', type: 'file' },
  { name: 'usr/bin/sh', type: 'symlink' }, // busybox's applet: the shell init.sh runs under
  { name: 'bin', type: 'symlink' }, // usr-merged: /bin -> usr/bin
];

const BLOCK = 512;
const REBUILD = 'Rebuild it with npm run vm:image';

class TarFormatError extends Error {}

function text(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? length : end).toString('utf8');
}

function octalField(block: Buffer, offset: number, length: number, what: string): number {
  const field = text(block, offset, length).trim();
  if (!/^[0-7]+$/.test(field)) throw new TarFormatError(`bad ${what} field "${field}"`);
  return parseInt(field, 8);
}

function checksumOk(block: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return octalField(block, 148, 8, 'checksum') === sum;
}

const TYPES: Record<string, TarEntryType> = { '0': 'file', '\0': 'file', '5': 'directory', '2': 'symlink', '1': 'hardlink' };

function clean(name: string): string {
  return name.replace(/^\.\//, '').replace(/\/+$/, '') || '.';
}

/** Every entry of a tar file (ustar, GNU long names, pax path/linkpath); throws on a damaged archive. */
export function readTarEntries(file: string): TarEntry[] {
  const fd = fs.openSync(file, 'r');
  try {
    const fileSize = fs.fstatSync(fd).size;
    const entries: TarEntry[] = [];
    const block = Buffer.alloc(BLOCK);
    let offset = 0;
    let longName: string | null = null;
    let longLink: string | null = null;
    const readData = (at: number, size: number) => {
      const data = Buffer.alloc(size);
      fs.readSync(fd, data, 0, size, at);
      return data;
    };
    for (;;) {
      if (offset + BLOCK > fileSize) throw new TarFormatError(`it ends at byte ${fileSize} without the end-of-archive blocks`);
      fs.readSync(fd, block, 0, BLOCK, offset);
      if (block.every((byte) => byte === 0)) return entries;
      if (!checksumOk(block)) throw new TarFormatError(`the header at byte ${offset} has a wrong checksum`);
      const size = octalField(block, 124, 12, 'size');
      const dataEnd = offset + BLOCK + Math.ceil(size / BLOCK) * BLOCK;
      if (dataEnd > fileSize) throw new TarFormatError(`the data of the entry at byte ${offset} runs past the end of the file`);
      const flag = String.fromCharCode(block[156]!);
      if (flag === 'L' || flag === 'K') {
        const value = text(readData(offset + BLOCK, size), 0, size);
        if (flag === 'L') longName = value;
        else longLink = value;
      } else if (flag === 'x') {
        for (const [, key, value] of text(readData(offset + BLOCK, size), 0, size).matchAll(/^\d+ ([^=]+)=(.*)$/gm)) {
          if (key === 'path') longName = value!;
          if (key === 'linkpath') longLink = value!;
        }
      } else if (flag !== 'g') {
        const prefix = text(block, 257, 6) === 'ustar' ? text(block, 345, 155) : '';
        const name = longName ?? (prefix ? `${prefix}/${text(block, 0, 100)}` : text(block, 0, 100));
        entries.push({
          name: clean(name),
          type: TYPES[flag] ?? 'other',
          mode: octalField(block, 100, 8, 'mode'),
          size,
          linkTarget: longLink ?? text(block, 157, 100),
        });
        longName = null;
        longLink = null;
      }
      offset = dataEnd;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** The problems with a rootfs tar's entries, each a short phrase; empty when it has what Berth needs. */
export function rootfsTarProblems(entries: readonly TarEntry[]): string[] {
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  const problems: string[] = [];
  for (const required of ROOTFS_TAR_REQUIRED) {
    const entry = byName.get(required.name);
    if (!entry) problems.push(`${required.name} is missing`);
    else if (entry.type !== required.type) problems.push(`${required.name} is a ${entry.type}, not a ${required.type}`);
    else if (required.executable && (entry.mode & 0o111) === 0) problems.push(`${required.name} is not executable`);
  }
  return problems;
}

/** Checks ROOTFS_TAR in imageDir; a VmError with `rebuild: true` when it is missing, damaged or incomplete. */
export function checkRootfsTar(imageDir: string): { path: string; entries: number } {
  const file = path.join(imageDir, ROOTFS_TAR);
  if (!fs.existsSync(file)) throw new VmError(`The VM image has no ${ROOTFS_TAR} (${file}). ${REBUILD}.`, { rebuild: true });
  let entries: TarEntry[];
  try {
    entries = readTarEntries(file);
  } catch (error) {
    if (!(error instanceof TarFormatError)) throw error;
    throw new VmError(`The VM image file ${file} is damaged: ${error.message}. ${REBUILD}.`, { rebuild: true });
  }
  const problems = rootfsTarProblems(entries);
  if (problems.length > 0) {
    throw new VmError(`The VM image file ${file} is incomplete: ${problems.join('; ')}. ${REBUILD}.`, { rebuild: true });
  }
  return { path: file, entries: entries.length };
}
