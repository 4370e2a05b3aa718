/**
 * Container starts and exec opens through the VM next to the host's own dockerd, in alternating pairs
 * (VM, host, VM, host, …) so that a machine slowing down or speeding up during the run weighs on both
 * sides alike: `docker run --rm IMAGE true` and `docker exec CONTAINER true` (the CLI, as a user runs
 * them: create, start, wait and remove; exec create, start and wait).
 */
import type { BenchRow } from './bench-row.js';
import { median, pairedRatios } from './stats.js';
import { BENCH_IMAGE, dockerOn, timeDocker, type DockerTarget } from './vm-docker.js';

const PAIRS = Number(process.env.BENCH_START_PAIRS ?? 5);
// BENCH_VM_RUNTIME=runc: the VM's containers on runc and dockerd's own network hook (the image's default
// before crun), for a before/after in one machine state.
const VM_RUNTIME = process.env.BENCH_VM_RUNTIME ? ['--runtime', process.env.BENCH_VM_RUNTIME] : [];
const EXEC_CONTAINER = 'berth-bench-exec';

export interface PairedTimes {
  vm: number[];
  host: number[];
  /** vm[i] / host[i], pair by pair. */
  ratios: number[];
}

/** One unmeasured round of each (caches warm), then `pairs` rounds of VM then host. */
export async function alternatingPairs(
  pairs: number,
  onVm: () => Promise<number>,
  onHost: () => Promise<number>,
): Promise<PairedTimes> {
  await onVm();
  await onHost();
  const vm: number[] = [];
  const host: number[] = [];
  for (let pair = 0; pair < pairs; pair += 1) {
    vm.push(await onVm());
    host.push(await onHost());
  }
  return { vm, host, ratios: pairedRatios(vm, host) };
}

const seconds = (value: number) => `${(value / 1000).toFixed(2)} s`;

function pairedRow(measure: string, times: PairedTimes): BenchRow {
  return {
    measure: `${measure} (median of ${times.vm.length} alternating pairs${VM_RUNTIME.length ? `, VM ${VM_RUNTIME.join(' ')}` : ''})`,
    berth: `${seconds(median(times.vm))} (VM)`,
    reference: `${seconds(median(times.host))} host dockerd`,
    ratio: `${median(times.ratios).toFixed(1)}×`,
    goal: '≤ 7.5×',
  };
}

function pairedNote(what: string, times: PairedTimes): string {
  return `${what}: VM ${times.vm.map(seconds).join(', ')}; host ${times.host.map(seconds).join(', ')}; ratios ${times.ratios.map((ratio) => ratio.toFixed(1)).join(', ')}`;
}

/** Both engines need BENCH_IMAGE (importBusybox). */
export async function benchContainerStarts(vm: DockerTarget, host: DockerTarget): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const runtimeOn = (target: DockerTarget) => (target === vm ? VM_RUNTIME : []);
  const runTrue = (target: DockerTarget) => () => timeDocker(target, ['run', '--rm', ...runtimeOn(target), BENCH_IMAGE, 'true']);
  const run = await alternatingPairs(PAIRS, runTrue(vm), runTrue(host));

  const targets = [vm, host];
  for (const target of targets) {
    await dockerOn(target, ['rm', '-f', EXEC_CONTAINER]);
    await dockerOn(target, ['run', '-d', '--name', EXEC_CONTAINER, ...runtimeOn(target), BENCH_IMAGE, 'sleep', '3600']);
  }
  try {
    const execTrue = (target: DockerTarget) => () => timeDocker(target, ['exec', EXEC_CONTAINER, 'true']);
    const exec = await alternatingPairs(PAIRS, execTrue(vm), execTrue(host));
    return {
      rows: [pairedRow('`docker run --rm IMAGE true`', run), pairedRow('Exec open: `docker exec CONTAINER true`', exec)],
      notes: [pairedNote('docker run --rm true', run), pairedNote('docker exec true', exec)],
    };
  } finally {
    for (const target of targets) await dockerOn(target, ['rm', '-f', EXEC_CONTAINER]);
  }
}
