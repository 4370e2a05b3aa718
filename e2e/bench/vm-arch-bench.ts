/**
 * The VM per architecture: the other architecture's cold start next to its own kernel's floor (arm64
 * emulated on an x86-64 host, and the reverse), and each built image's size and build time, read from
 * its manifest (what the last real build took: `npm run vm:image -- ARCH` with BERTH_VM_FORCE=1 to
 * measure again). Cheap: two cold starts by default (BENCH_VM_OTHER_ARCH_RUNS), nothing rebuilt.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GUEST_ARCHES, guestArchForHost, machineProfile, type GuestArch } from '../../vm/qemu/machine-profile.js';
import { VmService } from '../../vm/vm-service.js';
import type { BenchRow } from './bench-row.js';
import { median } from './stats.js';
import { benchColdStart } from './vm-cold-start-bench.js';

const IMAGE_ROOT = path.resolve(import.meta.dirname, '..', '..', 'vm', '.build', 'image');
const OTHER_ARCH_RUNS = Number(process.env.BENCH_VM_OTHER_ARCH_RUNS ?? 2);

const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

const installed = (program: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** Size on disk (rootfs.img is sparse) and the manifest's build time, per architecture whose image is built. */
export function imageRows(): { rows: BenchRow[]; notes: string[] } {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  for (const arch of GUEST_ARCHES) {
    const dir = path.join(IMAGE_ROOT, arch);
    const files = [machineProfile(arch).kernelFile, 'initramfs.img', 'rootfs.img'];
    if (!files.every((file) => fs.existsSync(path.join(dir, file)))) {
      notes.push(`no ${arch} image (npm run vm:image -- ${arch}): no size or build-time row`);
      continue;
    }
    const onDisk = files.map((file) => fs.statSync(path.join(dir, file)).blocks * 512);
    const manifest = fs.readFileSync(path.join(dir, 'manifest.txt'), 'utf8');
    const field = (name: string) => new RegExp(`^${name} (.*)$`, 'm').exec(manifest)?.[1];
    const lz4 = Number(field('rootfs-image-lz4-bytes') ?? 0);
    rows.push({
      measure: `VM image size, ${arch} (on disk: kernel, initramfs, rootfs)`,
      berth: mb(onDisk.reduce((sum, bytes) => sum + bytes, 0)),
      reference: files.map((file, index) => `${file} ${mb(onDisk[index]!)}`).join(', '),
      ratio: lz4 ? `rootfs ${mb(lz4)} as lz4` : '',
      goal: '',
    });
    rows.push({
      measure: `VM image build time, ${arch} (last full build)`,
      berth: `${field('build-seconds') ?? '?'} s`,
      reference: `kernel ${field('kernel') ?? '?'}`,
      ratio: '',
      goal: '',
    });
  }
  return { rows, notes };
}

/** The architecture other than the host's, when its QEMU and image are here; else why not. */
function otherArch(): { arch: GuestArch } | { skipped: string } {
  const host = guestArchForHost();
  const arch = GUEST_ARCHES.find((candidate) => candidate !== host);
  if (!host || !arch) return { skipped: `no other architecture for a ${process.arch} host` };
  if (!installed(machineProfile(arch).qemuBinary)) return { skipped: `no ${machineProfile(arch).qemuBinary}` };
  if (!fs.existsSync(path.join(IMAGE_ROOT, arch, machineProfile(arch).kernelFile))) return { skipped: `no ${arch} image` };
  return { arch };
}

/** The other architecture's cold start (emulated: TCG), best of N next to its own kernel's floor in the same runs. */
export async function otherArchColdStart(machine: {
  cpus: number;
  memoryMiB: number;
}): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const other = otherArch();
  if ('skipped' in other) return { rows: [], notes: [`other-architecture cold start skipped: ${other.skipped}`] };
  const { arch } = other;
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `berth-bench-vm-${arch}-`));
  const imageDir = path.join(IMAGE_ROOT, arch);
  const vm = new VmService({
    stateDir,
    imageDir,
    guestArch: arch,
    settings: { ...machine, diskGiB: 16, sharedFolders: [] },
    dockerContext: false,
  });
  try {
    const kernelPath = path.join(imageDir, machineProfile(arch).kernelFile);
    const cold = await benchColdStart(vm, { guestArch: arch, kernelPath, accelerator: 'tcg', ...machine }, OTHER_ARCH_RUNS);
    const start = Math.min(...cold.startMs);
    const floor = Math.min(...cold.floorMs);
    return {
      rows: [
        {
          measure: `VM cold start to engine _ping, ${arch} emulated (best of ${cold.startMs.length}, TCG)`,
          berth: seconds(start),
          reference: `${seconds(floor)} same ${arch} kernel to a trivial /init`,
          ratio: `${(start / floor).toFixed(2)}×`,
          goal: '',
        },
      ],
      notes: [
        `${arch} first start ${seconds(cold.firstStartMs)}; cold starts ${cold.startMs.map(seconds).join(', ')} (median ${seconds(median(cold.startMs))}); floors ${cold.floorMs.map(seconds).join(', ')}`,
      ],
    };
  } finally {
    await vm.stop().catch(() => undefined);
    vm.dispose();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}
