/**
 * The output waiting for one attached renderer, and how it is cut into frames.
 *
 * Each frame costs about the same whatever its size: a WebSocket message, an ack, an xterm write and,
 * above all, a repaint of the terminal (with software rendering, some 8 ms of the page's main thread
 * and as much again in the compositor: more than xterm's parse of 128 KB). So while a program streams,
 * output is gathered into frames at most FRAME_INTERVAL_MS apart (or MAX_FRAME bytes, whichever comes
 * first): streaming output is painted twenty times a second (a flood ten), not once per chunk the
 * engine delivers. When the output pauses (a listing, then the prompt), what waits goes at once.
 * Typing is not streaming (its echoes are a few bytes): it goes at once too.
 *
 * "Streaming" is judged on the output's recent volume, which decays with a half-life, rather than on
 * the gap since the last chunk: on a busy machine a program's output comes in bursts with pauses, and
 * a gap rule would then fall back to one small frame per chunk exactly when frames cost the most.
 */

/**
 * The most bytes in one frame. Big, so that a flood (`od` runs at 12 MB/s here) still makes about ten
 * frames a second rather than a hundred; the page hands it to xterm in pieces (terminal-pieces.ts), so
 * the size does not make one long task. It also bounds what waits per renderer (HIGH_WATERMARK).
 */
export const MAX_FRAME = 1024 * 1024;
/** While streaming, frames leave at most this often (20 a second)... */
export const FRAME_INTERVAL_MS = 50;
/** ...and during a flood (the recent volume past FLOOD_BYTES, some 400 kB/s), half as often: nobody reads it. */
export const FLOOD_FRAME_INTERVAL_MS = 100;
export const FLOOD_BYTES = 32 * 1024;
/** ...unless the output pauses this long: the burst is over (a listing and then the prompt), send it now. */
export const QUIET_MS = 20;
/** Output of at least this many bytes lately (decayed) means a program is printing. */
export const STREAMING_BYTES = 2048;
/** How fast "lately" fades: a burst of output stops counting within a few of these. */
export const STREAMING_HALF_LIFE_MS = 40;

/** How much output went by lately (decayed with STREAMING_HALF_LIFE_MS), to tell streaming from typing. */
export class StreamingMeter {
  private bytes = 0;
  private at = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number = () => performance.now()) {}

  add(bytes: number): void {
    const now = this.now();
    this.bytes = this.decayed(now) + bytes;
    this.at = now;
  }

  /** Bytes lately, decayed. */
  get volume(): number {
    return this.decayed(this.now());
  }

  get streaming(): boolean {
    return this.volume >= STREAMING_BYTES;
  }

  private decayed(now: number): number {
    return this.bytes === 0 ? 0 : this.bytes * 2 ** (-(now - this.at) / STREAMING_HALF_LIFE_MS);
  }
}

export class TerminalOutputQueue {
  private chunks: Uint8Array[] = [];
  private bytes = 0;
  private lastFrameAt = Number.NEGATIVE_INFINITY;
  private lastPushAt = Number.NEGATIVE_INFINITY;
  private readonly sent: StreamingMeter;
  private wake: (() => void) | undefined;
  /** Wake the reader once this many bytes wait (1 while idle, MAX_FRAME while gathering). */
  private wakeAtBytes = Number.POSITIVE_INFINITY;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.sent = new StreamingMeter(now);
  }

  /** Bytes waiting to be sent. */
  get size(): number {
    return this.bytes;
  }

  push(output: Uint8Array): void {
    if (output.length === 0) return;
    this.chunks.push(output);
    this.bytes += output.length;
    this.lastPushAt = this.now();
    if (this.bytes >= this.wakeAtBytes) this.notify();
  }

  /** Wakes a waiting reader: enough output, or a reason to look again (the end, a detach). */
  notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    this.wakeAtBytes = Number.POSITIVE_INFINITY;
    wake?.();
  }

  /** Resolves when output is waiting, or at the next notify(). */
  async waitForOutput(): Promise<void> {
    if (this.bytes === 0) await this.sleep(1);
  }

  /**
   * The next frame (at least one chunk, never a split one). While streaming, first waits until the
   * frame interval has passed, MAX_FRAME bytes wait, or the output has paused for QUIET_MS;
   * `stop` ends the wait early (the session ended, the renderer detached).
   */
  async takeFrame(stop: () => boolean): Promise<Uint8Array> {
    const volume = this.sent.volume;
    if (volume >= STREAMING_BYTES) {
      const due = this.lastFrameAt + (volume >= FLOOD_BYTES ? FLOOD_FRAME_INTERVAL_MS : FRAME_INTERVAL_MS);
      while (this.bytes < MAX_FRAME && !stop()) {
        const left = Math.min(due, this.lastPushAt + QUIET_MS) - this.now();
        if (left <= 0) break;
        await this.sleep(MAX_FRAME, left);
      }
    }
    let size = 0;
    let count = 0;
    while (count < this.chunks.length && (count === 0 || size + this.chunks[count]!.length <= MAX_FRAME)) {
      size += this.chunks[count]!.length;
      count += 1;
    }
    const frame = count === 1 ? this.chunks.shift()! : concat(this.chunks.splice(0, count), size);
    this.bytes -= frame.length;
    this.sent.add(frame.length);
    this.lastFrameAt = this.now();
    return frame;
  }

  /** Until `wakeAtBytes` bytes wait or notify(), or `ms` when given. */
  private sleep(wakeAtBytes: number, ms?: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      if (ms !== undefined) {
        timer = setTimeout(() => {
          if (this.wake === wake) this.notify();
          resolve();
        }, ms);
      }
      this.wake = wake;
      this.wakeAtBytes = wakeAtBytes;
    });
  }
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const frame = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    frame.set(chunk, offset);
    offset += chunk.length;
  }
  return frame;
}
