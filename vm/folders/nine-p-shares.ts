/**
 * Shared folders over virtio-9p, for hosts without virtiofsd (QEMU on macOS): QEMU itself serves each
 * folder, so there is no daemon to start or stop. The guest mounts them with
 * `-t 9p -o trans=virtio,version=9p2000.L,msize=512000` (vm/image/init.sh, told by berth.shares=9p).
 *
 * security_model=none: files the VM creates belong to the user running QEMU and carry the modes the
 * guest asked for; an ownership change from the guest is dropped silently. That is what a person
 * expects of their own folder, and it needs no root. mapped-xattr would keep the guest's owners and
 * modes in `user.virtfs.*` extended attributes written onto the person's own files (copied along by
 * Finder, archives and backups), while files made on the host, without them, show their raw host
 * owner to the guest anyway; passthrough needs QEMU to run as root.
 */
import fs from 'node:fs';
import path from 'node:path';
import { VmError } from '../vm-error.js';
import type { SharedFolderMount } from './shared-folders.js';

// QEMU's virtio-9p mount_tag: ours are plain names the guest's /init splits on a space.
const NINE_P_TAG = /^[a-z0-9][a-z0-9_-]{0,30}$/;

/** One local fsdev and one virtio-9p-device (the virtio-mmio flavour: microvm has no PCI) per folder. */
export function ninePDeviceArgs(mounts: readonly SharedFolderMount[]): string[] {
  return mounts.flatMap((mount, index) => {
    if (!NINE_P_TAG.test(mount.tag)) throw new Error(`invalid 9p mount tag: ${mount.tag}`);
    return [
      ...['-fsdev', `local,id=p9fs${index},path=${mount.path.replaceAll(',', ',,')},security_model=none`],
      ...['-device', `virtio-9p-device,fsdev=p9fs${index},mount_tag=${mount.tag}`],
    ];
  });
}

/**
 * Refuses an image that cannot mount 9p before QEMU starts: one built with the cloud kernel (no 9p
 * modules) or before 9p folders existed (its manifest has no folder-sharing line).
 */
export function requireNinePImage(imageDir: string): void {
  let manifest = '';
  try {
    manifest = fs.readFileSync(path.join(imageDir, 'manifest.txt'), 'utf8');
  } catch {
    return; // verifyVmImage reports a missing image
  }
  const line = /^folder-sharing (.*)$/m.exec(manifest)?.[1];
  if (line?.split(' ').includes('9p')) return;
  throw new VmError(
    line === undefined
      ? "The VM image predates 9p shared folders, which this computer's QEMU uses: rebuild it (npm run vm:image)."
      : "The VM image cannot mount 9p shared folders, which this computer's QEMU uses (its kernel has no 9p: build it with BERTH_VM_KERNEL=generic, the default): rebuild it (npm run vm:image).",
    { rebuild: true },
  );
}
