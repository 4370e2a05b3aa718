/**
 * VM cold start: VmService.start() until the engine answers _ping over TLS, next to the floor (the same
 * kernel on the same machine booted to a trivial initramfs), runs interleaved so that both see the
 * same load. Also where the time goes, from the host's side: when each start step was seen.
 */
import { performance } from 'node:perf_hooks';
import type { VmStartStep } from '../../vm/lifecycle/vm-state.js';
import type { GuestArch } from '../../vm/qemu/machine-profile.js';
import type { Accelerator } from '../../vm/qemu/qemu-args.js';
import type { VmService } from '../../vm/vm-service.js';
import { median } from './stats.js';
import { measureBootFloor } from './vm-boot-floor.js';

export interface ColdStartResult {
  /** The first start on a new disk (the guest formats it); not part of the median. */
  firstStartMs: number;
  startMs: number[];
  floorMs: number[];
  /** Median ms from start() to each step, over the measured starts. */
  phases: Array<{ step: VmStartStep | 'running'; atMs: number }>;
}

async function timedStart(vm: VmService): Promise<{ totalMs: number; steps: Map<VmStartStep | 'running', number> }> {
  const steps = new Map<VmStartStep | 'running', number>();
  const began = performance.now();
  const subscription = vm.onStateChange((state) => {
    if (state.kind === 'starting') steps.set(state.step, performance.now() - began);
    if (state.kind === 'running') steps.set('running', performance.now() - began);
  });
  try {
    await vm.start();
  } finally {
    subscription.dispose();
  }
  return { totalMs: performance.now() - began, steps };
}

export async function benchColdStart(
  vm: VmService,
  machine: { guestArch?: GuestArch; kernelPath: string; accelerator: Accelerator; cpus: number; memoryMiB: number },
  runs: number,
): Promise<ColdStartResult> {
  const first = await timedStart(vm);
  await vm.stop();
  const startMs: number[] = [];
  const floorMs: number[] = [];
  const stepTimes = new Map<VmStartStep | 'running', number[]>();
  for (let run = 0; run < runs; run += 1) {
    const floor = await measureBootFloor({ ...machine, runs: 1 });
    floorMs.push(...floor.spawnToInitMs);
    const { totalMs, steps } = await timedStart(vm);
    startMs.push(totalMs);
    for (const [step, at] of steps) stepTimes.set(step, [...(stepTimes.get(step) ?? []), at]);
    if (run < runs - 1) await vm.stop();
  }
  const phases = [...stepTimes].map(([step, times]) => ({ step, atMs: median(times) })).sort((a, b) => a.atMs - b.atMs);
  return { firstStartMs: first.totalMs, startMs, floorMs, phases };
}
