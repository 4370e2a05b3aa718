/**
 * The last N bytes a terminal printed, so a renderer that (re)attaches can replay the scrollback
 * before live output. Bounded: past the limit the oldest output goes, cut at a line start where one is
 * near (a cut in the middle of an escape sequence would print garbage once) and never inside a UTF-8
 * character.
 *
 * Output goes through here at the engine's full rate (tens of MB/s during a flood), so appending must
 * not copy what is kept: the chunks are kept as they came and whole ones are dropped from the front;
 * only the first kept chunk is cut, as a view. The one copy is the snapshot, once per attach.
 */
const LINE_FEED = 0x0a;

/** A UTF-8 continuation byte (10xxxxxx): a character's later bytes, never the start of one. */
function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

export class TerminalRingBuffer {
  private chunks: Uint8Array[] = [];
  private length = 0;
  /** How many bytes were dropped from the front since the session began. */
  private droppedBytes = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return Math.min(this.length, this.capacity);
  }

  get dropped(): number {
    return this.droppedBytes;
  }

  append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.push(bytes);
    this.length += bytes.length;
    // Trimming looks for a line start, so it waits for a quarter of slack: the search stays linear.
    if (this.length > this.capacity + this.capacity / 4) this.trim();
  }

  /** Everything kept, as one piece. */
  snapshot(): Uint8Array {
    if (this.length > this.capacity) this.trim();
    if (this.chunks.length > 1) {
      const whole = new Uint8Array(this.length);
      let offset = 0;
      for (const chunk of this.chunks) {
        whole.set(chunk, offset);
        offset += chunk.length;
      }
      this.chunks = [whole];
    }
    return this.chunks[0] ?? new Uint8Array(0);
  }

  private trim(): void {
    // Whole chunks first: no copying.
    while (this.chunks.length > 0 && this.chunks[0]!.length <= this.length - this.capacity)
      this.dropFront(this.chunks[0]!.length);
    const excess = this.length - this.capacity;
    if (excess <= 0) return;
    const first = this.chunks[0]!;
    // Prefer to start at a line: look a little further for a newline, within 1/16 of the capacity and
    // this chunk (a flood's chunks are big; a line start in the next one is not worth a copy).
    const window = first.subarray(excess, Math.min(first.length, excess + this.capacity / 16));
    const newline = window.indexOf(LINE_FEED);
    this.dropFront(newline >= 0 ? excess + newline + 1 : excess);
    // Never start inside a character: skip its later bytes (at most three; binary junk may have more).
    for (let skipped = 0; skipped < 3 && this.chunks.length > 0 && isContinuation(this.chunks[0]![0]!); skipped += 1) {
      this.dropFront(1);
    }
  }

  /** Drops `count` bytes (at most the first chunk) from the front. */
  private dropFront(count: number): void {
    const first = this.chunks[0]!;
    if (count >= first.length) this.chunks.shift();
    else this.chunks[0] = first.subarray(count);
    this.length -= Math.min(count, first.length);
    this.droppedBytes += Math.min(count, first.length);
  }
}
