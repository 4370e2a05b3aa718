/**
 * Feeds terminal output to xterm a piece at a time (terminal-pieces.ts), giving the page back its main
 * thread after SLICE_MS of parsing.
 *
 * xterm on its own parses queued writes until it has spent 12 ms, then yields. On a loaded machine
 * that is too long: a task gets a fraction of a core (a trace here showed 20 ms of CPU taking 127 ms),
 * and the page's longest task becomes a visible freeze. So only one piece at a time is in xterm; when
 * it is parsed, the next goes in the same task while this slice is young, else after a yield. Slices
 * are still long enough that a flood repaints some tens of times a second, not once per piece.
 */
import { piecesOf } from './terminal-pieces';

/** Parsing time in one task, not counting its first piece (which cannot be timed from here). */
export const SLICE_MS = 4;

export interface XtermLike {
  write(data: Uint8Array, callback: () => void): void;
}

interface Waiting {
  piece: Uint8Array;
  /** Set on a frame's last piece: the frame is parsed. */
  parsed?: () => void;
}

export class TerminalWriter {
  private waiting: Waiting[] = [];
  private busy = false;
  /** When the first piece of the current slice was parsed; undefined at a slice's start. */
  private sliceTimedFrom: number | undefined;
  private disposed = false;

  constructor(
    private readonly terminal: XtermLike,
    private readonly now: () => number = () => performance.now(),
    private readonly yieldToPage: (resume: () => void) => void = (resume) => setTimeout(resume, 0),
  ) {}

  /** Queues a frame; `parsed` runs once xterm has parsed all of it, in the task that parsed its end. */
  write(frame: Uint8Array, parsed: () => void): void {
    const pieces = piecesOf(frame);
    pieces.forEach((piece, index) => this.waiting.push({ piece, parsed: index === pieces.length - 1 ? parsed : undefined }));
    if (!this.busy) this.next();
  }

  /** Drops what waits; nothing more reaches the terminal (it is being disposed). */
  dispose(): void {
    this.disposed = true;
    this.waiting = [];
  }

  private next(): void {
    const item = this.waiting.shift();
    this.busy = item !== undefined && !this.disposed;
    if (!this.busy) {
      this.sliceTimedFrom = undefined; // the next frame comes in a task of its own
      return;
    }
    this.terminal.write(item!.piece, () => {
      item!.parsed?.();
      const now = this.now();
      this.sliceTimedFrom ??= now;
      if (now - this.sliceTimedFrom < SLICE_MS) return this.next();
      this.sliceTimedFrom = undefined;
      this.yieldToPage(() => this.next());
    });
  }
}
