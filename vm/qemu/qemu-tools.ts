/**
 * The host programs a VM start needs, found before anything is started, so that a missing QEMU is one
 * sentence naming the package to install rather than a spawn ENOENT in the middle of a boot.
 */
import fs from 'node:fs';
import path from 'node:path';
import { VmError } from '../vm-error.js';
import { machineProfile, type GuestArch } from './machine-profile.js';

export interface QemuTools {
  qemuSystem: string;
  qemuImg: string;
}

function findInPath(name: string, searchPath: string): string | null {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** How to install what is missing, in this platform's words. */
export function qemuInstallHint(
  platform: NodeJS.Platform,
  missing: 'qemu-system' | 'qemu-img',
  guestArch: GuestArch = 'amd64',
): string {
  if (platform === 'darwin') return 'Install it with: brew install qemu';
  const debianPackage = missing === 'qemu-system' ? machineProfile(guestArch).qemuDebianPackage : 'qemu-utils';
  return `Install it with: sudo apt-get install ${debianPackage} (Debian, Ubuntu), or your distribution's QEMU package`;
}

/** Throws a VmError naming the package when the guest's qemu-system-* or qemu-img is not on PATH. */
export function requireQemuTools(
  searchPath = process.env.PATH ?? '',
  platform: NodeJS.Platform = process.platform,
  guestArch: GuestArch = 'amd64',
): QemuTools {
  const binary = machineProfile(guestArch).qemuBinary;
  const qemuSystem = findInPath(binary, searchPath);
  if (!qemuSystem)
    throw new VmError(`QEMU is not installed (no ${binary}). ${qemuInstallHint(platform, 'qemu-system', guestArch)}.`);
  const qemuImg = findInPath('qemu-img', searchPath);
  if (!qemuImg) throw new VmError(`QEMU's disk tool is not installed (no qemu-img). ${qemuInstallHint(platform, 'qemu-img')}.`);
  return { qemuSystem, qemuImg };
}
