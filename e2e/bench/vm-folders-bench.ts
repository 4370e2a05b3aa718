/**
 * Bind-mount throughput: inside one container in the VM, busybox dd writes then reads 200 MB, and a
 * shell loop creates 5,000 small files, on the shared host folder (virtiofs) and on a volume on the
 * VM's own disk (ext4 on virtio-blk), the reference. Timed inside the guest (from /proc/uptime), so
 * `docker exec`'s own cost under TCG (about a second) is not counted; guest caches are dropped before
 * each phase, so reads come through the device and not from the guest's page cache.
 */
import type { DockerTarget } from './vm-docker.js';
import { BENCH_IMAGE, dockerOn } from './vm-docker.js';

export const LARGE_FILE_MB = 200;
export const SMALL_FILES = 5000;

export interface FolderThroughput {
  writeMBps: number;
  readMBps: number;
  smallFilesMs: number;
}

const PHASES_SCRIPT = `
set -e
D=$1
now() { cut -d' ' -f1 /proc/uptime; }
drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }
rm -rf "$D/bench" && mkdir -p "$D/bench" && drop
a=$(now)
dd if=/dev/zero of="$D/bench/big" bs=1M count=${LARGE_FILE_MB} conv=fsync 2>/dev/null
b=$(now)
drop
c=$(now)
dd if="$D/bench/big" of=/dev/null bs=1M 2>/dev/null
d=$(now)
mkdir "$D/bench/small" && drop
e=$(now)
i=0; while [ $i -lt ${SMALL_FILES} ]; do echo x > "$D/bench/small/f$i"; i=$((i + 1)); done; sync
f=$(now)
rm -rf "$D/bench"
echo "$a $b $c $d $e $f"
`;

async function phases(target: DockerTarget, container: string, dir: string): Promise<FolderThroughput> {
  const output = await dockerOn(target, ['exec', container, 'sh', '-c', PHASES_SCRIPT, 'bench', dir]);
  const [a, b, c, d, e, f] = output.trim().split(/\s+/).map(Number) as [number, number, number, number, number, number];
  return {
    writeMBps: LARGE_FILE_MB / Math.max(b - a, 0.01),
    readMBps: LARGE_FILE_MB / Math.max(d - c, 0.01),
    smallFilesMs: (f - e) * 1000,
  };
}

/** Best of `runs` for each figure, shared folder and VM disk alternating. */
export async function benchFolderThroughput(
  target: DockerTarget,
  sharedDir: string,
  runs: number,
): Promise<{ shared: FolderThroughput; vmDisk: FolderThroughput }> {
  const volume = 'berth-bench-disk';
  // --privileged only to drop the guest's caches between phases.
  const container = await dockerOn(target, [
    ...['run', '-d', '--privileged', '-v', `${sharedDir}:/shared`, '-v', `${volume}:/disk`],
    ...[BENCH_IMAGE, 'sleep', '3600'],
  ]);
  const best = (list: FolderThroughput[]): FolderThroughput => ({
    writeMBps: Math.max(...list.map((item) => item.writeMBps)),
    readMBps: Math.max(...list.map((item) => item.readMBps)),
    smallFilesMs: Math.min(...list.map((item) => item.smallFilesMs)),
  });
  try {
    const shared: FolderThroughput[] = [];
    const vmDisk: FolderThroughput[] = [];
    for (let run = 0; run < runs; run += 1) {
      shared.push(await phases(target, container, '/shared'));
      vmDisk.push(await phases(target, container, '/disk'));
    }
    return { shared: best(shared), vmDisk: best(vmDisk) };
  } finally {
    await dockerOn(target, ['rm', '-f', container]);
    await dockerOn(target, ['volume', 'rm', volume]).catch(() => undefined);
  }
}
