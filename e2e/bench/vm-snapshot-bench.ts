/**
 * `BENCH_ONLY=snapshot` (and part of `BENCH_ONLY=vm`): a VM start restored from its boot snapshot
 * (vm/snapshot/) next to a cold boot of the same VM and the same kernel's floor, on the same QEMU (8.2 or
 * newer: tools/newer-qemu.sh's QEMU 10 on Debian 12), interleaved so that all three see the same load.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { probeAccelerator } from '../../vm/qemu/accelerator.js';
import { guestArchForHost, machineProfile } from '../../vm/qemu/machine-profile.js';
import { newerQemuDir } from '../../vm/qemu/newer-qemu.js';
import { VmService } from '../../vm/vm-service.js';
import type { BenchRow } from './bench-row.js';
import { median } from './stats.js';
import { measureBootFloor } from './vm-boot-floor.js';

const VM_DIR = path.resolve(import.meta.dirname, '..', '..', 'vm');
const ARCH = guestArchForHost() ?? 'amd64';
const IMAGE_DIR = path.join(VM_DIR, '.build', 'image', ARCH);
const RUNS = Number(process.env.BENCH_SNAPSHOT_RUNS ?? 3);
const MACHINE = { cpus: 2, memoryMiB: 2048 };

const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;

async function timedStart(vm: VmService): Promise<number> {
  const began = performance.now();
  await vm.start();
  const took = performance.now() - began;
  await vm.stop();
  return took;
}

export async function benchSnapshotStarts(): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-snapshot-'));
  // A shared folder, as the home folder is by default: guest memory is then shared with virtiofsd (a memfd).
  const sharedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-snapshot-shared-'));
  const qemuDir = newerQemuDir(path.dirname(VM_DIR));
  // One VM, one disk: started from its snapshot by one service, booted cold by the other.
  const common = { stateDir, imageDir: IMAGE_DIR, guestArch: ARCH, qemuDir, dockerContext: false as const };
  const settings = { ...MACHINE, diskGiB: 16, sharedFolders: [sharedDir] };
  const restoring = new VmService({ ...common, settings });
  const cold = new VmService({ ...common, settings, bootSnapshots: false });
  const kernelPath = path.join(IMAGE_DIR, machineProfile(ARCH).kernelFile);
  try {
    const firstMs = await timedStart(restoring);
    const saved = restoring.bootSnapshot;
    if (saved?.start !== 'saved') throw new Error(`the first start did not save a snapshot: ${saved?.note ?? 'no note'}`);
    const qemuSystem = path.join(qemuDir ?? '', machineProfile(ARCH).qemuBinary);
    const { accelerator } = await probeAccelerator(kernelPath, { guestArch: ARCH });
    const restoredMs: number[] = [];
    const coldMs: number[] = [];
    const floorMs: number[] = [];
    const loadMs: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const floor = await measureBootFloor({
        guestArch: ARCH,
        kernelPath,
        accelerator,
        ...MACHINE,
        runs: 1,
        qemuSystem: qemuDir ? qemuSystem : undefined,
      });
      floorMs.push(...floor.spawnToInitMs);
      coldMs.push(await timedStart(cold));
      restoredMs.push(await timedStart(restoring));
      if (restoring.bootSnapshot?.start !== 'restored')
        throw new Error(`a start did not restore: ${restoring.bootSnapshot?.note ?? 'no note'}`);
      loadMs.push(restoring.bootSnapshot.stateMs ?? 0);
    }
    const best = (values: number[]) => Math.min(...values);
    const version = qemuDir ? 'QEMU 10 (bookworm-backports)' : 'the system QEMU';
    const rows: BenchRow[] = [
      {
        measure: `VM start from its boot snapshot to engine _ping, ${ARCH}, a shared folder (best of ${RUNS}, ${accelerator.toUpperCase()}, ${version})`,
        berth: seconds(best(restoredMs)),
        reference: `${seconds(best(floorMs))} same kernel to a trivial /init; ${seconds(best(coldMs))} cold boot`,
        ratio: `${(best(restoredMs) / best(floorMs)).toFixed(2)}× floor, ${(best(restoredMs) / best(coldMs)).toFixed(2)}× cold`,
        goal: '≤ 2.5× floor (issue 16)',
      },
      {
        measure: `VM cold start, same QEMU (best of ${RUNS})`,
        berth: seconds(best(coldMs)),
        reference: `${seconds(best(floorMs))} floor`,
        ratio: `${(best(coldMs) / best(floorMs)).toFixed(2)}×`,
        goal: '',
      },
      {
        measure: 'VM first start, saving its boot snapshot (formats a new disk)',
        berth: seconds(firstMs),
        reference: `saved in ${seconds(saved.stateMs ?? 0)}, ${Math.round(saved.storedBytes / 1_048_576)} MiB`,
        ratio: '',
        goal: '',
      },
    ];
    const list = (values: number[]) => `${values.map(seconds).join(', ')} (median ${seconds(median(values))})`;
    const notes = [
      `snapshot starts ${list(restoredMs)}; state loaded in ${loadMs.map((value) => `${value} ms`).join(', ')}`,
      `cold starts (same QEMU) ${list(coldMs)}`,
      `floors (same QEMU) ${list(floorMs)}`,
    ];
    return { rows, notes };
  } finally {
    await restoring.stop().catch(() => undefined);
    await cold.stop().catch(() => undefined);
    restoring.dispose();
    cold.dispose();
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.rmSync(sharedDir, { recursive: true, force: true });
  }
}
