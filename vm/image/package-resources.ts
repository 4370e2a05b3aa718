/**
 * What a desktop package carries from the VM build, per operating system and CPU: the image of that
 * CPU's architecture, with only the files its provider reads (QEMU: kernel, initramfs, root image;
 * WSL 2: the root as a tar), and on Linux the docker CLI plugins of that architecture. `npm run dist`
 * stages them under vm/.build/package/OS-ARCH/ (OS and ARCH in electron-builder's words, so that
 * electron-builder.yml names the folder with its ${os}-${arch} macros), laid out as under vm/.build/,
 * where the packaged app reads them (resources/vm/.build/…, as in a checkout).
 */
import fs from 'node:fs';
import path from 'node:path';
import { machineProfile, type GuestArch } from '../qemu/machine-profile.js';
import { ROOTFS_TAR } from './rootfs-tar.js';

/** electron-builder's names: `${os}` and `${arch}`. */
export type PackageOs = 'linux' | 'mac' | 'win';
export type PackageArch = 'x64' | 'arm64';

export interface PackageTarget {
  os: PackageOs;
  arch: PackageArch;
}

/** The packages Berth ships (electron-builder.yml's targets): macOS on both CPUs, Windows on x64, Linux on both. */
export const PACKAGE_TARGETS: readonly PackageTarget[] = [
  { os: 'mac', arch: 'arm64' },
  { os: 'mac', arch: 'x64' },
  { os: 'win', arch: 'x64' },
  { os: 'linux', arch: 'x64' },
  { os: 'linux', arch: 'arm64' },
];

/** Staged per target under vm/.build/package/OS-ARCH; electron-builder.yml copies that to resources/vm/.build. */
export const PACKAGE_STAGE_SUBDIR = path.join('vm', '.build', 'package');

const GUEST_ARCH: Record<PackageArch, GuestArch> = { x64: 'amd64', arm64: 'arm64' };
const IMAGE_META = ['SHA256SUMS', 'manifest.txt'];
const CLI_PLUGIN_FILES = ['docker-compose', 'docker-buildx', 'manifest.txt'];

/**
 * The files, relative to vm/.build, that a package for `target` carries. The QEMU providers read the
 * kernel, the initramfs and the root image; WSL 2 imports the root as a tar; the CLI plugins are Linux
 * builds, so only Linux packages carry them.
 */
export function packageResourceFiles(target: PackageTarget): string[] {
  const arch = GUEST_ARCH[target.arch];
  const image = (name: string) => path.join('image', arch, name);
  const imageFiles =
    target.os === 'win'
      ? [ROOTFS_TAR, ...IMAGE_META]
      : [machineProfile(arch).kernelFile, 'initramfs.img', 'rootfs.img', ...IMAGE_META];
  const plugins = target.os === 'linux' ? CLI_PLUGIN_FILES.map((name) => path.join('cli-plugins', arch, name)) : [];
  return [...imageFiles.map(image), ...plugins];
}

/** Thrown when the build folder lacks what a target's package needs, naming the files and the command. */
export class PackageResourcesMissingError extends Error {}

/**
 * Stages `target`'s files from buildDir (vm/.build) into stageRoot/OS-ARCH, as hard links where the file
 * system allows (the images are hundreds of MB) and copies otherwise; replaces an earlier stage.
 * Returns the staged folder.
 */
export function stagePackageResources(buildDir: string, stageRoot: string, target: PackageTarget): string {
  const files = packageResourceFiles(target);
  const missing = files.filter((file) => !fs.existsSync(path.join(buildDir, file)));
  if (missing.length > 0) {
    const arch = GUEST_ARCH[target.arch];
    throw new PackageResourcesMissingError(
      `The ${target.os}-${target.arch} package needs ${missing.join(', ')} in ${buildDir}: build them with npm run vm:image -- ${arch}.`,
    );
  }
  const stage = path.join(stageRoot, `${target.os}-${target.arch}`);
  fs.rmSync(stage, { recursive: true, force: true });
  for (const file of files) {
    const to = path.join(stage, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    try {
      fs.linkSync(path.join(buildDir, file), to);
    } catch {
      fs.copyFileSync(path.join(buildDir, file), to);
    }
  }
  return stage;
}
