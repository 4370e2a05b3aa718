import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VmError } from '../vm-error.js';
import { ninePDeviceArgs, requireNinePImage } from './nine-p-shares.js';

const made: string[] = [];
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function imageWith(manifest: string | null): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-image-'));
  made.push(dir);
  if (manifest !== null) fs.writeFileSync(path.join(dir, 'manifest.txt'), manifest);
  return dir;
}

describe('ninePDeviceArgs', () => {
  it('serves each folder from QEMU as a virtio-mmio 9p device, owners left to the host', () => {
    expect(
      ninePDeviceArgs([
        { tag: 'berth0', path: '/Users/me' },
        { tag: 'berth1', path: '/Volumes/data, old' },
      ]),
    ).toEqual([
      ...['-fsdev', 'local,id=p9fs0,path=/Users/me,security_model=none'],
      ...['-device', 'virtio-9p-device,fsdev=p9fs0,mount_tag=berth0'],
      // A comma in a path is doubled: QEMU's option syntax.
      ...['-fsdev', 'local,id=p9fs1,path=/Volumes/data,, old,security_model=none'],
      ...['-device', 'virtio-9p-device,fsdev=p9fs1,mount_tag=berth1'],
    ]);
    expect(ninePDeviceArgs([])).toEqual([]);
  });

  it('refuses a tag the guest could not read back', () => {
    expect(() => ninePDeviceArgs([{ tag: 'a b', path: '/x' }])).toThrow('invalid 9p mount tag');
  });
});

describe('requireNinePImage', () => {
  it('accepts an image whose manifest lists 9p', () => {
    expect(() => requireNinePImage(imageWith('kernel 6.12\nfolder-sharing virtiofs 9p\n'))).not.toThrow();
  });

  it('refuses an image without 9p, or from before 9p folders, with a rebuild', () => {
    const cloud = (() => {
      try {
        requireNinePImage(imageWith('folder-sharing virtiofs\n'));
      } catch (error) {
        return error;
      }
    })();
    expect(cloud).toBeInstanceOf(VmError);
    expect((cloud as VmError).rebuild).toBe(true);
    expect((cloud as VmError).message).toMatch(/kernel has no 9p: build it with BERTH_VM_KERNEL=generic/);
    expect(() => requireNinePImage(imageWith('kernel 6.12\n'))).toThrow(/predates 9p shared folders/);
  });

  it('leaves a missing image to the image check', () => {
    expect(() => requireNinePImage(imageWith(null))).not.toThrow();
  });
});
