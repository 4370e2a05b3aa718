/**
 * Every package's VM resources, staged from the real build (both architectures' images and the CLI
 * plugins, which the test command builds) and checked with the app's own checks as a packaged app
 * would run them: the QEMU image verified for its architecture, WSL's root tar read, the plugins'
 * manifest naming both. What packaging.test.ts holds electron-builder.yml to, run on real files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GUEST_ARCHES } from '../qemu/machine-profile.js';
import { requireTestImage } from '../testing/test-image.js';
import { verifyVmImage } from './image-check.js';
import { PACKAGE_TARGETS, stagePackageResources } from './package-resources.js';
import { checkRootfsTar } from './rootfs-tar.js';

const buildDir = path.resolve(import.meta.dirname, '..', '.build');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-package-stage-'));

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('staged package resources', () => {
  for (const arch of GUEST_ARCHES) requireTestImage(arch);

  for (const target of PACKAGE_TARGETS) {
    const guestArch = target.arch === 'x64' ? 'amd64' : 'arm64';
    it(`${target.os}-${target.arch}: passes the checks its app runs before a start`, () => {
      const stage = stagePackageResources(buildDir, path.join(scratch, 'stage'), target);
      const imageDir = path.join(stage, 'image', guestArch);
      if (target.os === 'win') {
        expect(checkRootfsTar(imageDir).entries).toBeGreaterThan(100);
      } else {
        const image = verifyVmImage(imageDir, path.join(scratch, `state-${target.os}-${target.arch}`), guestArch);
        expect(fs.statSync(image.kernelPath).size).toBeGreaterThan(1_000_000);
      }
      if (target.os === 'linux') {
        const manifest = fs.readFileSync(path.join(stage, 'cli-plugins', guestArch, 'manifest.txt'), 'utf8');
        expect(manifest).toMatch(/^docker-compose \S+ [0-9a-f]{64}$/m);
        expect(manifest).toMatch(/^docker-buildx \S+ [0-9a-f]{64}$/m);
      }
    });
  }
});
