/**
 * The packaged app must carry the engine VM: its host-side scripts, and the image (and on Linux the
 * docker CLI plugins) of its own CPU, outside the asar and where the app looks for them (vm-host.ts,
 * under process.resourcesPath). Packaging needs the Electron binary, which these machines cannot
 * download, so this holds electron-builder.yml to the code instead; vm/image/package-resources
 * .integration.test.ts stages the real images and runs the app's own checks on them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { imageFiles } from '../../vm/image/image-check.js';
import {
  PACKAGE_STAGE_SUBDIR,
  PACKAGE_TARGETS,
  packageResourceFiles,
  stagePackageResources,
  type PackageTarget,
} from '../../vm/image/package-resources.js';
import { ROOTFS_TAR } from '../../vm/image/rootfs-tar.js';
import { VM_CLI_PLUGINS_SUBDIR, VM_IMAGE_SUBDIR, VM_SCRIPTS_SUBDIR } from '../composition/index.js';

interface Resource {
  from: string;
  to: string;
  filter?: string[];
}
type Target = { target: string; arch: string[] };

const root = path.resolve(import.meta.dirname, '..', '..');
const config = load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as {
  files: string[];
  asar: boolean;
  extraResources: Resource[];
  mac: { target: Target[] };
  win: { target: Target[] };
  linux: { target: Target[] };
};
const resource = (from: string) => config.extraResources.find((entry) => path.normalize(entry.from) === from);
const key = (target: PackageTarget) => `${target.os}-${target.arch}`;

describe('electron-builder.yml', () => {
  it('ships the image build where the app runs it (a rebuild), with what build-image.sh reads and nothing else', () => {
    const scripts = resource(VM_SCRIPTS_SUBDIR);
    expect(scripts?.to).toBe(scripts?.from);
    expect(scripts?.filter).toEqual(['*.sh', '*.c']);
    const buildScript = fs.readFileSync(path.join(root, VM_SCRIPTS_SUBDIR, 'build-image.sh'), 'utf8');
    const readByBuild = [...buildScript.matchAll(/"\$HERE\/([\w.-]+)"/g)].map((match) => match[1]!);
    // A start runs no script (the TLS material is made in Node): a shell script (or C source) there is for the build.
    const shipped = fs.readdirSync(path.join(root, VM_SCRIPTS_SUBDIR)).filter((name) => /\.(sh|c)$/.test(name));
    expect(shipped.sort()).toEqual([...new Set(['build-image.sh', ...readByBuild])].sort());
  });

  it('builds dmg and zip for macOS on both CPUs, nsis for Windows on x64, AppImage and deb for Linux on both', () => {
    const arches = (targets: Target[], name: string) => targets.find((entry) => entry.target === name)?.arch.sort();
    expect(arches(config.mac.target, 'dmg')).toEqual(['arm64', 'x64']);
    expect(arches(config.mac.target, 'zip')).toEqual(['arm64', 'x64']);
    expect(arches(config.win.target, 'nsis')).toEqual(['x64']);
    expect(arches(config.linux.target, 'AppImage')).toEqual(['arm64', 'x64']);
    expect(arches(config.linux.target, 'deb')).toEqual(['arm64', 'x64']);
    // ...and the VM resources are staged for exactly those OS and CPU pairs.
    const built = (['mac', 'win', 'linux'] as const).flatMap((os) =>
      [...new Set(config[os].target.flatMap((entry) => entry.arch))].map((arch) => `${os}-${arch}`),
    );
    expect(built.sort()).toEqual(PACKAGE_TARGETS.map(key).sort());
  });

  it("copies each package's own staged VM build to where the app reads the image and the CLI plugins", () => {
    const staged = resource(path.join(PACKAGE_STAGE_SUBDIR, '${os}-${arch}'));
    expect(staged).toBeDefined();
    expect(path.join(staged!.to, 'image')).toBe(VM_IMAGE_SUBDIR);
    expect(path.join(staged!.to, 'cli-plugins')).toBe(VM_CLI_PLUGINS_SUBDIR);
  });

  it('keeps the VM out of the asar', () => {
    expect(config.asar).toBe(true);
    expect(config.files.some((pattern) => pattern.startsWith('vm'))).toBe(false);
  });
});

describe('what each package carries of the VM build', () => {
  const files = (os: PackageTarget['os'], arch: PackageTarget['arch']) => packageResourceFiles({ os, arch });

  it('is the image of its own CPU, with the files its provider reads and its checksums', () => {
    expect(files('mac', 'arm64')).toEqual(expect.arrayContaining(imageFiles('arm64').map((name) => `image/arm64/${name}`)));
    expect(files('linux', 'x64')).toEqual(expect.arrayContaining(imageFiles('amd64').map((name) => `image/amd64/${name}`)));
    for (const target of PACKAGE_TARGETS) {
      const arch = target.arch === 'x64' ? 'amd64' : 'arm64';
      expect(packageResourceFiles(target).every((file) => !file.startsWith('image/') || file.startsWith(`image/${arch}/`))).toBe(
        true,
      );
      expect(packageResourceFiles(target)).toContain(`image/${arch}/SHA256SUMS`);
    }
  });

  it('is the root as a tar for WSL on Windows, without the QEMU files', () => {
    expect(files('win', 'x64')).toContain(`image/amd64/${ROOTFS_TAR}`);
    expect(files('win', 'x64').some((file) => /vmlinux|initramfs|rootfs\.img/.test(file))).toBe(false);
    expect(files('linux', 'x64')).not.toContain(`image/amd64/${ROOTFS_TAR}`);
  });

  it('has the docker CLI plugins on Linux only (they are Linux builds)', () => {
    expect(files('linux', 'arm64')).toEqual(
      expect.arrayContaining(['cli-plugins/arm64/docker-compose', 'cli-plugins/arm64/docker-buildx']),
    );
    expect(files('mac', 'arm64').some((file) => file.startsWith('cli-plugins'))).toBe(false);
    expect(files('win', 'x64').some((file) => file.startsWith('cli-plugins'))).toBe(false);
  });

  it('is staged as it is laid out under vm/.build, or refused naming what is missing and how to build it', () => {
    const build = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-package-'));
    const target: PackageTarget = { os: 'linux', arch: 'arm64' };
    const wanted = packageResourceFiles(target);
    for (const file of wanted.slice(1)) {
      fs.mkdirSync(path.join(build, path.dirname(file)), { recursive: true });
      fs.writeFileSync(path.join(build, file), file);
    }
    expect(() => stagePackageResources(build, path.join(build, 'stage'), target)).toThrow(
      `The linux-arm64 package needs ${wanted[0]} in ${build}: build them with npm run vm:image -- arm64.`,
    );
    fs.writeFileSync(path.join(build, wanted[0]!), wanted[0]!);
    const stage = stagePackageResources(build, path.join(build, 'stage'), target);
    expect(stage).toBe(path.join(build, 'stage', 'linux-arm64'));
    const staged = fs.readdirSync(stage, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(staged.map((entry) => path.relative(stage, path.join(entry.parentPath, entry.name))).sort()).toEqual(
      [...wanted].sort(),
    );
    expect(fs.readFileSync(path.join(stage, wanted[0]!), 'utf8')).toBe(wanted[0]);
    fs.rmSync(build, { recursive: true, force: true });
  });
});
