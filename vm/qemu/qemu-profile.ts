/**
 * The QEMU provider per host OS: which QEMU program runs the guest and where it is looked for, the
 * oldest QEMU that does what this host needs, the accelerator, and how folders are shared. Pure data
 * chosen from the HostPlatform; qemu-binary.ts finds and checks the programs it names.
 */
import path from 'node:path';
import type { AcceleratorFamily, HostPlatform } from '../platform/host-platform.js';
import { VmError } from '../vm-error.js';
import { machineProfile } from './machine-profile.js';

/** virtiofs (one virtiofsd per folder) where virtiofsd runs, i.e. Linux; 9p inside QEMU elsewhere. */
export type FolderSharing = 'virtiofs' | '9p';

export interface QemuVersion {
  major: number;
  minor: number;
  micro: number;
}

export interface QemuProfile {
  /** Whose QEMU this is, in a person's words ("Linux", "macOS"). */
  hostName: string;
  /** qemu-system-x86_64 or qemu-system-aarch64: the guest's architecture, the host's CPU. */
  systemProgram: string;
  /** Searched after PATH, in order (an app started from the Dock or Finder has a minimal PATH). */
  extraDirs: string[];
  /** Searched before PATH: a QEMU the caller chose (QemuProfileOptions.qemuDir). */
  firstDirs: string[];
  minVersion: QemuVersion;
  /** Why that version, for the too-old message. */
  minVersionReason: string;
  accelerator: Extract<AcceleratorFamily, 'kvm' | 'hvf'>;
  folderSharing: FolderSharing;
  /** How to install the QEMU program, then qemu-img, in this host's words. */
  installHint: { system: string; img: string };
}

export interface QemuProfileOptions {
  /** A QEMU shipped with the app (`<resources>/qemu/bin`), tried after PATH and Homebrew. */
  bundledQemuDir?: string;
  /** A QEMU folder tried before PATH: the tests' and the benchmark's newer QEMU (tools/newer-qemu.sh). */
  qemuDir?: string;
}

export function qemuProfile(platform: HostPlatform, options: QemuProfileOptions = {}): QemuProfile {
  const machine = machineProfile(platform.guestArch);
  const systemProgram = machine.qemuBinary;
  const bundled = options.bundledQemuDir ? [options.bundledQemuDir] : [];
  const firstDirs = options.qemuDir ? [options.qemuDir] : [];
  if (platform.os === 'darwin') {
    return {
      hostName: 'macOS',
      systemProgram,
      // Homebrew's prefixes: Apple Silicon, then Intel.
      extraDirs: ['/opt/homebrew/bin', '/usr/local/bin', ...bundled],
      firstDirs,
      minVersion: { major: 7, minor: 0, micro: 0 },
      minVersionReason: 'shared folders over 9p on a macOS host came in QEMU 7.0',
      accelerator: 'hvf',
      // virtiofsd is Linux-only (it sandboxes itself with Linux namespaces); QEMU serves 9p itself.
      folderSharing: '9p',
      installHint: { system: 'brew install qemu', img: 'brew install qemu' },
    };
  }
  if (platform.os === 'linux') {
    const apt = (name: string) => `sudo apt-get install ${name} (Debian, Ubuntu), or your distribution's QEMU package`;
    return {
      hostName: 'Linux',
      systemProgram,
      extraDirs: bundled,
      firstDirs,
      // microvm with ACPI (5.2), its memory-backend property (5.0) and vhost-user-fs-device are older;
      // 6.2 is the oldest QEMU of a supported LTS distribution (Ubuntu 22.04). Run here: 7.2 and 10.0.
      minVersion: { major: 6, minor: 2, micro: 0 },
      minVersionReason: "the engine VM's machine (microvm with ACPI and virtiofs) needs QEMU 6.2",
      accelerator: 'kvm',
      folderSharing: 'virtiofs',
      installHint: { system: apt(machine.qemuDebianPackage), img: apt('qemu-utils') },
    };
  }
  throw new VmError(`QEMU is not Berth's VM provider on ${platform.os} (it uses ${platform.provider}).`);
}

export function formatQemuVersion(version: QemuVersion): string {
  return `${version.major}.${version.minor}.${version.micro}`;
}

export function isOlderThan(version: QemuVersion, minimum: QemuVersion): boolean {
  if (version.major !== minimum.major) return version.major < minimum.major;
  if (version.minor !== minimum.minor) return version.minor < minimum.minor;
  return version.micro < minimum.micro;
}

/** The caller's folder, PATH (a QEMU the person chose), then the profile's own folders; duplicates dropped. */
export function qemuSearchDirs(profile: QemuProfile, searchPath: string): string[] {
  return [...new Set([...profile.firstDirs, ...searchPath.split(path.delimiter).filter(Boolean), ...profile.extraDirs])];
}
