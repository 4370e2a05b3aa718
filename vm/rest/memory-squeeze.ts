/**
 * Gives the guest's free memory back to the host before a rest. Free page reporting hands back only
 * free 2 MiB blocks, and a guest that ran containers has its free memory in smaller pieces: after 20
 * containers had gone, the guest had 1.7 GiB free and QEMU still held it. Inflating the balloon takes
 * free pages of any size (the guest picks them; QEMU discards each one it is given), so: inflate by what
 * the guest says is free less a margin (nothing in use is reclaimed), wait until the balloon stops growing, deflate at once. The
 * deflated pages stay the host's until the guest touches them again.
 *
 * The balloon is always let out again, also when the squeeze is cut short (a request arrives) or fails:
 * a guest left with less memory would start refusing containers.
 */
import type { RestClock } from './rest-controller.js';

export interface Balloon {
  /** QMP balloon: the guest's memory target, in bytes. */
  setTarget(bytes: number): Promise<void>;
  /** QMP BALLOON_CHANGE (QEMU sends at most one a second): the guest's memory now; returns the unsubscribe. */
  onChange(listener: (actualBytes: number) => void): () => void;
}

export interface SqueezeOptions {
  balloon: Balloon;
  /** The VM's memory: what the balloon is let out to. */
  fullBytes: number;
  /** How much to take: the guest's free memory less a margin for what wakes first. */
  takeBytes: number;
  clock: RestClock;
  /** A request arrived: stop squeezing, let the balloon out. */
  signal: AbortSignal;
  /** Done when the balloon has not grown for this long (QEMU's events come at most once a second). */
  settleMs?: number;
  /** Done after this long in any case. */
  limitMs?: number;
  /** How long to wait for the guest to let the balloon out again before a pause. */
  letOutMs?: number;
}

export interface SqueezeResult {
  /** How far the balloon got: the memory the guest gave up, in bytes. */
  tookBytes: number;
  /** Why it ended. */
  ended: 'reached' | 'settled' | 'limit' | 'aborted' | 'nothing to take';
}

/** Below this a squeeze is not worth the guest's reclaim work. */
export const SQUEEZE_MIN_BYTES = 32 * 1024 * 1024;
const CLOSE_ENOUGH_BYTES = 4 * 1024 * 1024;

export async function squeezeFreeMemory(options: SqueezeOptions): Promise<SqueezeResult> {
  const { balloon, fullBytes, clock, signal, settleMs = 2_500, limitMs = 20_000, letOutMs = 5_000 } = options;
  const takeBytes = Math.min(options.takeBytes, fullBytes - SQUEEZE_MIN_BYTES);
  if (takeBytes < SQUEEZE_MIN_BYTES || signal.aborted)
    return { tookBytes: 0, ended: signal.aborted ? 'aborted' : 'nothing to take' };
  const target = fullBytes - takeBytes;
  const watch = new BalloonWatch(balloon, fullBytes, clock, signal);
  try {
    let ended: SqueezeResult['ended'];
    try {
      await balloon.setTarget(target);
      ended = await watch.until((actual) => actual <= target + CLOSE_ENOUGH_BYTES, { settleMs, limitMs });
    } finally {
      await balloon.setTarget(fullBytes);
    }
    // A paused guest lets the balloon out only once woken, and its first requests would meet a smaller
    // machine (MemTotal 350 MiB of 1 GiB for a second): before a pause, wait until it has let it out.
    if (ended !== 'aborted') await watch.until((actual) => actual >= fullBytes - CLOSE_ENOUGH_BYTES, { limitMs: letOutMs });
    return { tookBytes: fullBytes - watch.lowest, ended };
  } finally {
    watch.dispose();
  }
}

/** Follows the balloon's events; waits for a condition on them, a quiet time, a limit or the signal. */
class BalloonWatch {
  lowest: number;
  private latest: number;
  private onChange: (() => void) | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    balloon: Balloon,
    fullBytes: number,
    private readonly clock: RestClock,
    private readonly signal: AbortSignal,
  ) {
    this.lowest = this.latest = fullBytes;
    this.unsubscribe = balloon.onChange((actual) => {
      this.latest = actual;
      this.lowest = Math.min(this.lowest, actual);
      this.onChange?.();
    });
  }

  until(
    reached: (actual: number) => boolean,
    { settleMs, limitMs }: { settleMs?: number; limitMs: number },
  ): Promise<'reached' | 'settled' | 'limit' | 'aborted'> {
    return new Promise((resolve) => {
      const timers: Array<() => void> = [];
      const end = (why: 'reached' | 'settled' | 'limit' | 'aborted') => {
        timers.forEach((cancel) => cancel());
        this.signal.removeEventListener('abort', onAbort);
        this.onChange = null;
        resolve(why);
      };
      const onAbort = () => end('aborted');
      if (this.signal.aborted) return end('aborted');
      this.signal.addEventListener('abort', onAbort);
      let cancelSettle = settleMs === undefined ? () => undefined : this.clock.schedule(() => end('settled'), settleMs);
      timers.push(
        () => cancelSettle(),
        this.clock.schedule(() => end('limit'), limitMs),
      );
      let previous = this.latest;
      this.onChange = () => {
        if (reached(this.latest)) return end('reached');
        if (settleMs === undefined || this.latest === previous) return;
        previous = this.latest; // still moving: the quiet time starts again
        cancelSettle();
        cancelSettle = this.clock.schedule(() => end('settled'), settleMs);
      };
      if (reached(this.latest)) end('reached');
    });
  }

  dispose(): void {
    this.onChange = null;
    this.unsubscribe();
  }
}
