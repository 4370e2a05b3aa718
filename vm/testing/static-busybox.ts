// The static busybox that test images are made of (engine/testing/test-images.ts busyboxRootTar), for
// the guest's architecture.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { guestArchForHost, type GuestArch } from '../qemu/machine-profile.js';

const VM_DIR = path.resolve(import.meta.dirname, '..');

/**
 * The static busybox for the test image, of the guest's architecture: the one from the image build's
 * .deb cache, so that the smoke test does not need busybox on this computer; /bin/busybox when the
 * cache has none (only right for the host's own architecture).
 */
export async function staticBusybox(workDir: string, arch: GuestArch = 'amd64'): Promise<string> {
  const debDir = path.join(VM_DIR, '.build', 'debs');
  const deb = fs.existsSync(debDir)
    ? fs.readdirSync(debDir).find((f) => f.startsWith('busybox-static_') && f.endsWith(`_${arch}.deb`))
    : undefined;
  if (!deb) {
    if (arch !== guestArchForHost()) throw new Error(`no ${arch} busybox-static in ${debDir}: build the ${arch} image first`);
    return '/bin/busybox';
  }
  const unpacked = path.join(workDir, 'busybox-deb');
  fs.mkdirSync(workDir, { recursive: true });
  await promisify(execFile)('dpkg', ['-x', path.join(debDir, deb), unpacked]);
  // Debian 13's package has it in /usr/bin, Debian 12's in /bin.
  const merged = path.join(unpacked, 'usr', 'bin', 'busybox');
  return fs.existsSync(merged) ? merged : path.join(unpacked, 'bin', 'busybox');
}
