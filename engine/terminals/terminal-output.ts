/**
 * A TTY stream's bytes, read on demand.
 *
 * A program that prints fast reaches us as many tiny writes (`yes` through a TTY: a few bytes each,
 * tens of thousands a second), and a socket that reads each one as it comes costs a wake-up, a system
 * call and a trip through the stream machinery per write. So the stream is read on demand: it stops
 * reading as soon as something waits unread, the kernel gathers what comes meanwhile, and a pull takes
 * it all in one read. That is also the backpressure: output nobody pulls stays in the engine's pipe
 * and, once that is full, pauses the program.
 *
 * The output stays bytes all the way to xterm, which decodes UTF-8 itself (across chunk boundaries):
 * decoding here and encoding again for the wire cost the app a pass over every byte, twice.
 */
import type { Readable } from 'node:stream';

/**
 * Makes a stream stop reading ahead once anything waits in it. Node streams read up to a high-water
 * mark (16 KiB for a socket) whether or not anyone pulls, and have no public way to change it after
 * the socket is made; the engine client makes these sockets. So this lowers the mark in the stream's
 * own state (a field Node has kept since 0.10; `ws` reads it too), and leaves a stream of any other
 * shape as it is.
 */
function readOnDemand(stream: Readable): void {
  const state = (stream as unknown as { _readableState?: { highWaterMark?: unknown } })._readableState;
  if (state && typeof state.highWaterMark === 'number') state.highWaterMark = 1;
}

const EMPTY = Buffer.alloc(0);
const LINE_FEED = 0x0a;

export class TerminalOutputReader implements AsyncIterable<Buffer> {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(private readonly stream: Readable) {
    readOnDemand(stream);
    stream.on('readable', () => this.wakeUp());
    const end = () => {
      if (this.ended) return;
      this.ended = true;
      this.drain();
      this.wakeUp();
    };
    stream.on('end', end);
    stream.on('close', end);
    stream.on('error', end); // a broken stream just ends
  }

  /** Everything that has arrived since the last take, once there is some; empty once the stream has ended. */
  async take(): Promise<Buffer> {
    for (;;) {
      this.drain();
      if (this.pendingBytes > 0 || this.ended) break;
      await this.nextEvent();
    }
    return this.takePending();
  }

  /** Reads up to and including the first line feed, as text; the rest stays for take(). Without one, all there is at the end. */
  async readLine(): Promise<string> {
    for (;;) {
      this.drain();
      const all = this.takePending();
      const newline = all.indexOf(LINE_FEED);
      if (newline >= 0 || this.ended) {
        const end = newline >= 0 ? newline + 1 : all.length;
        if (end < all.length) this.keep(all.subarray(end));
        return all.subarray(0, end).toString('utf8');
      }
      this.keep(all);
      await this.nextEvent();
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (;;) {
      const bytes = await this.take();
      if (bytes.length === 0) return;
      yield bytes;
    }
  }

  private takePending(): Buffer {
    const bytes = this.pending.length === 1 ? this.pending[0]! : this.pending.length === 0 ? EMPTY : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    return bytes;
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
  }

  private drain(): void {
    for (let chunk = this.stream.read() as Buffer | null; chunk !== null; chunk = this.stream.read() as Buffer | null) {
      this.keep(chunk);
    }
  }

  private nextEvent(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
