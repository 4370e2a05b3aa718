/**
 * Follows a booting VM's serial console as the guest writes it (woken by each write) and turns its
 * BERTH-* markers into start steps, until BERTH-READY. A boot that stops making progress, or whose
 * kernel crashes, before the guest touches the data disk (EarlyBootWatch) is an EarlyBootFailedError,
 * which VmService answers by booting once more: nothing is at risk yet.
 */
import { performance } from 'node:perf_hooks';
import { EarlyBootWatch } from '../lifecycle/early-boot-watch.js';
import { consoleMarker, type VmStartStep } from '../lifecycle/vm-state.js';
import { VmError } from '../vm-error.js';
import { qemuExitedError } from './accelerator.js';
import type { EngineVm } from './engine-vm.js';
import { guestArchForHost, type GuestArch } from './machine-profile.js';

const READY_TIMEOUT_MS = 180_000;
/**
 * A boot that has not reached the root's configuration step by then is killed and started once more.
 * That step comes 1-2 s after QEMU starts under TCG here (6 s at worst under other suites' load, and
 * far sooner with KVM); a slow machine must not be taken for a stalled one, and the kernel's own
 * soft-lockup report (after about 22 s) then makes it into the kept console.
 */
const EARLY_BOOT_STALL_MS = 30_000;
/**
 * A guest of another architecture than the host's is emulated instruction by instruction: arm64 under
 * TCG on x86-64 reaches that step 8-15 s in here (2-3 s for amd64), so it gets three times as long.
 */
const FOREIGN_ARCH_SLOWDOWN = 3;

/** How long a boot of this guest may take to reach the root's configuration step on this host. */
export function earlyBootStallMs(guestArch: GuestArch): number {
  return EARLY_BOOT_STALL_MS * (guestArch === guestArchForHost() ? 1 : FOREIGN_ARCH_SLOWDOWN);
}

/**
 * The boot stopped, or its kernel crashed (a panic ends QEMU: panic=-1 and -no-reboot), before the guest
 * touched the data disk, this many seconds in: booting again risks nothing.
 */
export class EarlyBootFailedError extends Error {
  constructor(
    readonly how: 'stalled' | 'crashed',
    readonly seconds: number,
  ) {
    super(`early boot ${how} after ${seconds} s`);
  }
}

/** What a start says of a failed early boot: the first (booting again), or the second (giving up). */
export const EARLY_BOOT_FAILURE = {
  stalled: {
    retry: (seconds: number) => `The first boot stopped making progress after ${seconds} s; booting again.`,
    twice: (seconds: number) =>
      `The VM's kernel stopped making progress ${seconds} s into its boot, before it started the engine (twice in a row); see the console below.`,
  },
  crashed: {
    retry: (seconds: number) => `The first boot's kernel crashed ${seconds} s in; booting again.`,
    twice: (seconds: number) =>
      `The VM's kernel crashed ${seconds} s into its boot, before it started the engine (twice in a row); see the console below.`,
  },
} as const;

export interface BootConsoleOptions {
  /** How long the boot may take to reach the configuration step (earlyBootStallMs). */
  stallMs: number;
  onStep(step: VmStartStep): void;
  /**
   * The guest waits at the boot snapshot's point (`BERTH-SNAPSHOT`, berth.snapshot=1): the console is
   * followed on once this resolves. It must let the guest go on (resumeGuest) whatever happens.
   */
  onSnapshotPoint?(): Promise<void>;
}

const SNAPSHOT_POINT = /^BERTH-SNAPSHOT(\s|$)/;

/** Resolves at BERTH-READY; rejects with EarlyBootFailedError (boot again) or a VmError (report it). */
export async function followBootConsole(vm: EngineVm, options: BootConsoleOptions): Promise<void> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  const watch = new EarlyBootWatch(vm.startedAt, options.stallMs);
  const seconds = () => Math.round((performance.now() - vm.startedAt) / 1000);
  let seen = 0;
  for (;;) {
    const lines = vm.serialLog().split('\n');
    // The last line may still be being written: read it next time.
    for (const line of lines.slice(seen, -1)) {
      watch.observe(line);
      if (options.onSnapshotPoint && SNAPSHOT_POINT.test(line.trim())) {
        await options.onSnapshotPoint();
        continue;
      }
      const marker = consoleMarker(line);
      if (!marker) continue;
      if ('ready' in marker) return;
      if ('error' in marker) throw new VmError(`The VM reported: ${marker.error}`);
      options.onStep(marker.step);
    }
    seen = Math.max(seen, lines.length - 1);
    if (!vm.running) {
      const exitStatus = await vm.exitStatus;
      // Exit code 0 is the guest's own reset (a kernel panic): before the disk, as safe to boot again as a stall.
      if (exitStatus === 'exit code 0' && !watch.pastRestartPoint) throw new EarlyBootFailedError('crashed', seconds());
      throw qemuExitedError('during boot', exitStatus, vm.qemuStderr);
    }
    if (watch.stalled(performance.now())) throw new EarlyBootFailedError('stalled', seconds());
    if (performance.now() > deadline) throw new VmError(`The VM did not become ready within ${READY_TIMEOUT_MS / 1000} s.`);
    await vm.consoleChanged();
  }
}
