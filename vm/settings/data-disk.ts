/**
 * The VM's data disk on the host: a sparse qcow2 created at the configured size, grown (never shrunk)
 * when the size setting goes up. The guest formats an empty disk and grows the ext4 to match at mount
 * (vm/image/init.sh), so growing needs only `qemu-img resize` here, before QEMU opens the file.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { VmError } from '../vm-error.js';
import type { DiskFacts } from './vm-settings.js';

const run = promisify(execFile);
const GIB = 1024 ** 3;

/**
 * What the disk holds (host bytes it takes) and its virtual size; null when there is no disk. -U
 * (force share) reads the header even while QEMU holds the image lock, so the settings form can ask
 * while the VM runs. actual-size counts blocks the guest freed but never discarded, so it errs on the
 * side of refusing a shrink.
 */
export async function readDiskFacts(diskPath: string, qemuImg = 'qemu-img'): Promise<DiskFacts | null> {
  if (!fs.existsSync(diskPath)) return null;
  const { stdout } = await run(qemuImg, ['info', '-U', '--output=json', diskPath]);
  const info = JSON.parse(stdout) as { 'virtual-size'?: unknown; 'actual-size'?: unknown };
  const virtualBytes = typeof info['virtual-size'] === 'number' ? info['virtual-size'] : 0;
  const usedBytes = typeof info['actual-size'] === 'number' ? info['actual-size'] : fs.statSync(diskPath).size;
  return { usedBytes, virtualBytes };
}

export type DiskPreparation = 'created' | 'grown' | 'unchanged';

/**
 * Creates the disk at diskGiB, or grows it to diskGiB; a smaller setting leaves the disk as it is
 * (shrinking would cut into the file system). Call only while QEMU is not running on it.
 */
/** qemuImg: the qemu-img found beside the QEMU that runs the VM (Homebrew's is not on a Dock-started app's PATH). */
export async function prepareDataDisk(diskPath: string, diskGiB: number, qemuImg = 'qemu-img'): Promise<DiskPreparation> {
  const facts = await readDiskFacts(diskPath, qemuImg);
  try {
    if (!facts) {
      // Sparse: the guest formats it on first boot; it takes only what is written.
      await run(qemuImg, ['create', '-q', '-f', 'qcow2', diskPath, `${diskGiB}G`]);
      return 'created';
    }
    if (diskGiB * GIB <= facts.virtualBytes) return 'unchanged';
    await run(qemuImg, ['resize', '-q', '-f', 'qcow2', diskPath, `${diskGiB}G`]);
    return 'grown';
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new VmError(`Could not ${facts ? 'grow' : 'create'} the VM's disk ${diskPath}: ${detail}`, { cause: error });
  }
}
