/**
 * `BENCH_ONLY=vm npm run bench`: Berth's engine VM measured next to references taken in the same run
 * (the kernel's own boot floor, a dockerd on this computer's unix socket, the VM's own disk). Needs the
 * image (npm run vm:image), QEMU, root (for the host dockerd) and no Berth UI.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalDockerd, type LocalDockerd } from '../../engine/dockerd/index.js';
import { probeAccelerator } from '../../vm/qemu/accelerator.js';
import { guestArchForHost, machineProfile } from '../../vm/qemu/machine-profile.js';
import { VmService } from '../../vm/vm-service.js';
import type { BenchRow } from './bench-row.js';
import { median, ms } from './stats.js';
import { imageRows, otherArchColdStart } from './vm-arch-bench.js';
import { benchColdStart } from './vm-cold-start-bench.js';
import { benchSnapshotStarts } from './vm-snapshot-bench.js';
import { importBusybox, type DockerTarget } from './vm-docker.js';
import { CP_SIZE_MB, dockerCpMs, pingLatency } from './vm-engine-bench.js';
import { benchFolderThroughput, LARGE_FILE_MB, SMALL_FILES } from './vm-folders-bench.js';
import { benchPublishedPort } from './vm-ports-bench.js';
import { benchContainerStarts } from './vm-starts-bench.js';

const VM_DIR = path.resolve(import.meta.dirname, '..', '..', 'vm');
// The host CPU's architecture; the other one's cold start and both images' rows: vm-arch-bench.ts.
const ARCH = guestArchForHost() ?? 'amd64';
const IMAGE_DIR = path.join(VM_DIR, '.build', 'image', ARCH);
const COLD_START_RUNS = Number(process.env.BENCH_VM_RUNS ?? 3);
const FOLDER_RUNS = 2;
const MACHINE = { cpus: 2, memoryMiB: 2048 };

const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
const mbps = (value: number) => `${value.toFixed(0)} MB/s`;

/** The VM's engine and the host's own, as docker CLI targets. */
function dockerTargets(vm: VmService, local: LocalDockerd): { vmTarget: DockerTarget; hostTarget: DockerTarget } {
  const endpoint = vm.endpoint();
  if (endpoint.kind !== 'tcp') throw new Error('expected the VM on TCP');
  return {
    vmTarget: { host: `tcp://127.0.0.1:${endpoint.port}`, tlsDir: vm.tlsDir },
    hostTarget: { host: local.dockerHost },
  };
}

/**
 * `BENCH_ONLY=vm-starts`: only the container start and exec open rows, on a VM booted once (no cold-start
 * rounds, no folders): what to run after changing how the VM starts containers.
 */
export async function benchVmStarts(): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-vm-'));
  const vm = new VmService({
    stateDir,
    imageDir: IMAGE_DIR,
    guestArch: ARCH,
    settings: { ...MACHINE, diskGiB: 16, sharedFolders: [] },
    dockerContext: false,
  });
  const local = await startLocalDockerd();
  try {
    await vm.start();
    const { vmTarget, hostTarget } = dockerTargets(vm, local);
    await importBusybox(vmTarget);
    await importBusybox(hostTarget);
    return await benchContainerStarts(vmTarget, hostTarget);
  } finally {
    await vm.stop().catch(() => undefined);
    vm.dispose();
    await local.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

export async function benchVm(): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-vm-'));
  const sharedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-shared-'));
  const kernelPath = path.join(IMAGE_DIR, machineProfile(ARCH).kernelFile);
  const vm = new VmService({
    stateDir,
    imageDir: IMAGE_DIR,
    guestArch: ARCH,
    settings: { ...MACHINE, diskGiB: 16, sharedFolders: [sharedDir] },
    dockerContext: false,
  });
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const local = await startLocalDockerd();
  try {
    console.log('  cold start vs kernel floor…');
    const { accelerator } = await probeAccelerator(kernelPath, { guestArch: ARCH });
    const cold = await benchColdStart(vm, { guestArch: ARCH, kernelPath, accelerator, ...MACHINE }, COLD_START_RUNS);
    // Best of N on both sides: on a shared machine a run is only ever slowed down by other work, so the
    // fastest run is the truest figure of each; the medians are printed below the table.
    const start = Math.min(...cold.startMs);
    const floor = Math.min(...cold.floorMs);
    rows.push({
      measure: `VM cold start to engine _ping, ${ARCH} (best of ${cold.startMs.length}, ${accelerator.toUpperCase()})`,
      berth: seconds(start),
      reference: `${seconds(floor)} same ${ARCH} kernel to a trivial /init`,
      ratio: `${(start / floor).toFixed(2)}×`,
      goal: '≤ 2.5×',
    });
    rows.push({
      measure: 'VM first start (formats a new disk)',
      berth: seconds(cold.firstStartMs),
      reference: '',
      ratio: '',
      goal: '',
    });
    notes.push(`cold starts ${cold.startMs.map(seconds).join(', ')} (median ${seconds(median(cold.startMs))})`);
    notes.push(`floors ${cold.floorMs.map(seconds).join(', ')} (median ${seconds(median(cold.floorMs))})`);
    notes.push(
      `start steps (median ms after start()): ${cold.phases.map((phase) => `${phase.step} ${Math.round(phase.atMs)}`).join(', ')}`,
    );

    const endpoint = vm.endpoint();
    if (endpoint.kind !== 'tcp') throw new Error('expected the VM on TCP');
    const { vmTarget, hostTarget } = dockerTargets(vm, local);

    console.log('  _ping latency…');
    const vmPing = await pingLatency(endpoint);
    const hostPing = await pingLatency({ kind: 'unix', socketPath: local.socketPath });
    rows.push({
      measure: 'Engine _ping p50 (kept-alive connection)',
      berth: ms(vmPing.p50),
      reference: `${ms(hostPing.p50)} host dockerd, unix socket`,
      ratio: `${(vmPing.p50 / hostPing.p50).toFixed(1)}×`,
      goal: '',
    });
    rows.push({
      measure: 'Engine _ping p95',
      berth: ms(vmPing.p95),
      reference: `${ms(hostPing.p95)} host dockerd, unix socket`,
      ratio: `${(vmPing.p95 / hostPing.p95).toFixed(1)}×`,
      goal: '',
    });

    console.log(`  docker cp ${CP_SIZE_MB} MB…`);
    await importBusybox(vmTarget);
    await importBusybox(hostTarget);
    // Through the host socket, as `docker --context berth cp` goes (Berth's TLS client, not the CLI's).
    const vmCp = await dockerCpMs({ host: `unix://${vm.hostSocketPath}` });
    const hostCp = await dockerCpMs(hostTarget);
    rows.push({
      measure: `docker cp ${CP_SIZE_MB} MB into a container (the berth context)`,
      berth: `${seconds(vmCp)} (${mbps((CP_SIZE_MB * 1000) / vmCp)})`,
      reference: `${seconds(hostCp)} host dockerd`,
      ratio: `${(vmCp / hostCp).toFixed(1)}×`,
      goal: '≥ 50 MB/s under TCG (issue 16)',
    });

    console.log('  docker run --rm … true and docker exec, alternating with the host dockerd…');
    const starts = await benchContainerStarts(vmTarget, hostTarget);
    rows.push(...starts.rows);
    notes.push(...starts.notes);

    console.log('  published port at 100 concurrent clients…');
    const ports = await benchPublishedPort(vm, vmTarget);
    rows.push(...ports.rows);
    notes.push(...ports.notes);

    console.log('  bind-mount throughput…');
    const folders = await benchFolderThroughput(vmTarget, sharedDir, FOLDER_RUNS);
    const share = (shared: number, disk: number) => `${((shared / disk) * 100).toFixed(0)}% of VM disk`;
    rows.push({
      measure: `Shared folder write ${LARGE_FILE_MB} MB (dd, fsync)`,
      berth: mbps(folders.shared.writeMBps),
      reference: `${mbps(folders.vmDisk.writeMBps)} VM disk`,
      ratio: share(folders.shared.writeMBps, folders.vmDisk.writeMBps),
      goal: '≥ 50%',
    });
    rows.push({
      measure: `Shared folder read ${LARGE_FILE_MB} MB (dd, cold guest cache)`,
      berth: mbps(folders.shared.readMBps),
      reference: `${mbps(folders.vmDisk.readMBps)} VM disk`,
      ratio: share(folders.shared.readMBps, folders.vmDisk.readMBps),
      goal: '≥ 50%',
    });
    rows.push({
      measure: `Shared folder: create ${SMALL_FILES.toLocaleString('en')} small files`,
      berth: seconds(folders.shared.smallFilesMs),
      reference: `${seconds(folders.vmDisk.smallFilesMs)} VM disk`,
      ratio: `${(folders.shared.smallFilesMs / folders.vmDisk.smallFilesMs).toFixed(1)}× the time`,
      goal: '',
    });

    // The other architecture after this one's VM is off, so that neither slows the other down.
    await vm.stop();
    console.log('  other architecture: cold start vs its kernel floor…');
    for (const part of [await otherArchColdStart(MACHINE), imageRows()]) {
      rows.push(...part.rows);
      notes.push(...part.notes);
    }
    console.log('  boot snapshot: restored start vs cold boot vs kernel floor…');
    const snapshots = await benchSnapshotStarts();
    rows.push(...snapshots.rows);
    notes.push(...snapshots.notes);
  } finally {
    await vm.stop().catch(() => undefined);
    vm.dispose();
    await local.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.rmSync(sharedDir, { recursive: true, force: true });
  }
  return { rows, notes };
}
