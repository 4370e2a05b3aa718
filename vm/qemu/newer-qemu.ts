/**
 * Where tools/setup.sh unpacks a newer QEMU beside the build (tools/newer-qemu.sh: bookworm-backports'
 * QEMU 10 on Debian 12, whose 7.2 cannot restore boot snapshots). The app on a development checkout,
 * the snapshot tests and the benchmark run that one when it is there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { guestArchForHost } from './machine-profile.js';

/** The folder of its programs under `projectRoot`, or undefined when it was not unpacked (or no such QEMU here). */
export function newerQemuDir(projectRoot: string): string | undefined {
  const arch = guestArchForHost();
  if (!arch) return undefined;
  const dir = path.join(projectRoot, 'vm', '.build', 'qemu', `bookworm-backports-${arch}`, 'usr', 'bin');
  return fs.existsSync(path.join(dir, 'qemu-img')) ? dir : undefined;
}
