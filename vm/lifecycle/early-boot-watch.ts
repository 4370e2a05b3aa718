/**
 * Notices a boot that stopped making progress before the guest touched anything worth keeping. Until
 * the root's /init prints `BERTH-STEP config`, the VM has read only its image and QEMU's configuration:
 * the data disk is opened after that marker. A boot stuck before it can be killed and started again
 * with nothing at risk, where a stall later in the boot has to be reported instead.
 *
 * Why it exists: under QEMU's multi-threaded TCG a vCPU can livelock on a stale translation of kernel
 * code the kernel has just patched (vm/README.md, traps). Berth turns the keys that caused it on
 * early, while nothing else runs, which makes it rare; this makes the rest recoverable.
 */
const DISK_STEP_MARKER = /^BERTH-(STEP (config|disk|engine|modules|network)|READY|ERROR)(\s|$)/;

export class EarlyBootWatch {
  private pastSafePoint = false;

  /**
   * @param startedAt performance.now() when QEMU was spawned
   * @param stallMs how long a boot may take to reach the marker; boots here take 1-2 s under TCG and
   * up to 6 s under heavy load, so this is well beyond a slow boot
   */
  constructor(
    private readonly startedAt: number,
    private readonly stallMs: number,
  ) {}

  /** Feed every console line as it arrives. */
  observe(line: string): void {
    if (DISK_STEP_MARKER.test(line.trim())) this.pastSafePoint = true;
  }

  /** True when the boot has not reached the marker within stallMs: kill it and boot again. */
  stalled(now: number): boolean {
    return !this.pastSafePoint && now - this.startedAt > this.stallMs;
  }

  /** From here on, a stall is not restarted (the data disk may be mounted). */
  get pastRestartPoint(): boolean {
    return this.pastSafePoint;
  }
}
