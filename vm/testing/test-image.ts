/** The VM image the VM tests boot: vm/.build/image/ARCH, the host CPU's architecture unless asked. */
import fs from 'node:fs';
import path from 'node:path';
import { guestArchForHost, machineProfile, type GuestArch } from '../qemu/machine-profile.js';

const IMAGE_ROOT = path.resolve(import.meta.dirname, '..', '.build', 'image');

/** The host CPU's guest architecture (amd64 when it has none: the tests then fail at the image check). */
export const HOST_GUEST_ARCH: GuestArch = guestArchForHost() ?? 'amd64';

export function testImageDir(arch: GuestArch = HOST_GUEST_ARCH): string {
  return path.join(IMAGE_ROOT, arch);
}

/** Throws the command that builds the image when it is not there (for a beforeAll). */
export function requireTestImage(arch: GuestArch = HOST_GUEST_ARCH): void {
  const kernel = path.join(testImageDir(arch), machineProfile(arch).kernelFile);
  if (fs.existsSync(kernel)) return;
  const command = arch === HOST_GUEST_ARCH ? 'npm run vm:image' : `npm run vm:image -- ${arch}`;
  throw new Error(`No ${arch} VM image (${kernel}): run ${command} first.`);
}
