/** The QEMU processes of one VM state folder, found by the QMP socket on their command line (to kill one). */
import fs from 'node:fs';
import path from 'node:path';

export function qemuPidsOf(stateDir: string): number[] {
  const qmpSocket = path.join(stateDir, 'qmp.sock');
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(qmpSocket);
      } catch {
        return false; // gone meanwhile, or not ours to read
      }
    })
    .map(Number);
}
