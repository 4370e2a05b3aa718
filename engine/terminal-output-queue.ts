/**
 * The output waiting for one attached renderer, and how it is cut into frames.
 *
 * Each frame costs about the same whatever its size: a WebSocket message, a JSON parse, an ack, an
 * xterm write and, above all, a repaint of the terminal. So while a program streams, output is
 * gathered into frames at most FRAME_INTERVAL_MS apart (or MAX_FRAME characters, whichever comes
 * first): streaming output is painted twenty times a second (a flood ten), not once per chunk the
 * engine delivers. When the output pauses (a listing, then the prompt), what waits goes at once.
 * Typing is not streaming (its echoes are a few characters): it goes at once too.
 *
 * "Streaming" is judged on the output's recent volume, which decays with a half-life, rather than on
 * the gap since the last chunk: on a busy machine a program's output comes in bursts with pauses, and
 * a gap rule would then fall back to one small frame per chunk exactly when frames cost the most.
 */

/** The most characters in one frame: xterm parses each write in one go, so this bounds its longest task. */
export const MAX_FRAME = 128 * 1024;
/** While streaming, frames leave at most this often (20 a second)... */
export const FRAME_INTERVAL_MS = 50;
/** ...and during a flood (the recent volume past FLOOD_CHARS, some 400 kB/s), half as often: nobody reads it. */
export const FLOOD_FRAME_INTERVAL_MS = 100;
export const FLOOD_CHARS = 32 * 1024;
/** ...unless the output pauses this long: the burst is over (a listing and then the prompt), send it now. */
export const QUIET_MS = 20;
/** Output of at least this many characters lately (decayed) means a program is printing. */
export const STREAMING_CHARS = 2048;
/** How fast "lately" fades: a burst of output stops counting within a few of these. */
export const STREAMING_HALF_LIFE_MS = 40;

/** How much output went by lately (decayed with STREAMING_HALF_LIFE_MS), to tell streaming from typing. */
export class StreamingMeter {
  private chars = 0;
  private at = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number = () => performance.now()) {}

  add(chars: number): void {
    const now = this.now();
    this.chars = this.decayed(now) + chars;
    this.at = now;
  }

  /** Characters lately, decayed. */
  get volume(): number {
    return this.decayed(this.now());
  }

  get streaming(): boolean {
    return this.volume >= STREAMING_CHARS;
  }

  private decayed(now: number): number {
    return this.chars === 0 ? 0 : this.chars * 2 ** (-(now - this.at) / STREAMING_HALF_LIFE_MS);
  }
}

export class TerminalOutputQueue {
  private chunks: string[] = [];
  private chars = 0;
  private lastFrameAt = Number.NEGATIVE_INFINITY;
  private lastPushAt = Number.NEGATIVE_INFINITY;
  private readonly sent: StreamingMeter;
  private wake: (() => void) | undefined;
  /** Wake the reader once this many characters wait (1 while idle, MAX_FRAME while gathering). */
  private wakeAtChars = Number.POSITIVE_INFINITY;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.sent = new StreamingMeter(now);
  }

  /** Characters waiting to be sent. */
  get size(): number {
    return this.chars;
  }

  push(text: string): void {
    if (!text) return;
    this.chunks.push(text);
    this.chars += text.length;
    this.lastPushAt = this.now();
    if (this.chars >= this.wakeAtChars) this.notify();
  }

  /** Wakes a waiting reader: enough output, or a reason to look again (the end, a detach). */
  notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    this.wakeAtChars = Number.POSITIVE_INFINITY;
    wake?.();
  }

  /** Resolves when output is waiting, or at the next notify(). */
  async waitForOutput(): Promise<void> {
    if (this.chars === 0) await this.sleep(1);
  }

  /**
   * The next frame (at least one chunk, never a split one). While streaming, first waits until the
   * frame interval has passed, MAX_FRAME characters wait, or the output has paused for QUIET_MS;
   * `stop` ends the wait early (the session ended, the renderer detached).
   */
  async takeFrame(stop: () => boolean): Promise<string> {
    const volume = this.sent.volume;
    if (volume >= STREAMING_CHARS) {
      const due = this.lastFrameAt + (volume >= FLOOD_CHARS ? FLOOD_FRAME_INTERVAL_MS : FRAME_INTERVAL_MS);
      while (this.chars < MAX_FRAME && !stop()) {
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
    const frame = count === 1 ? this.chunks.shift()! : this.chunks.splice(0, count).join('');
    this.chars -= frame.length;
    this.sent.add(frame.length);
    this.lastFrameAt = this.now();
    return frame;
  }

  /** Until `wakeAtChars` characters wait or notify(), or `ms` when given. */
  private sleep(wakeAtChars: number, ms?: number): Promise<void> {
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
      this.wakeAtChars = wakeAtChars;
    });
  }
}
