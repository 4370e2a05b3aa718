/**
 * The last N characters a terminal printed, so a renderer that (re)attaches can replay the scrollback
 * before live output. Bounded: past the limit the oldest text goes, cut at a line start where one is
 * near (a cut in the middle of an escape sequence would print garbage once).
 */
export class TerminalRingBuffer {
  private chunks: string[] = [];
  private length = 0;
  /** How many characters were dropped from the front since the session began. */
  private droppedChars = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return Math.min(this.length, this.capacity);
  }

  get dropped(): number {
    return this.droppedChars;
  }

  append(text: string): void {
    if (!text) return;
    this.chunks.push(text);
    this.length += text.length;
    // Trimming copies the kept text, so it waits for a quarter of slack: the copying stays linear.
    if (this.length > this.capacity + this.capacity / 4) this.trim();
  }

  /** Everything kept, as one string. */
  snapshot(): string {
    if (this.length > this.capacity) this.trim();
    if (this.chunks.length > 1) this.chunks = [this.chunks.join('')];
    return this.chunks[0] ?? '';
  }

  private trim(): void {
    let text = this.chunks.join('');
    let excess = text.length - this.capacity;
    // Prefer to start at a line: look a little further for a newline, within 1/16 of the capacity.
    const newline = text.indexOf('\n', excess);
    if (newline >= 0 && newline - excess < this.capacity / 16) excess = newline + 1;
    text = text.slice(excess);
    this.droppedChars += excess;
    this.chunks = [text];
    this.length = text.length;
  }
}
