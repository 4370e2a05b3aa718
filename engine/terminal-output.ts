/**
 * A TTY stream's bytes as text, decoded across chunk boundaries (a UTF-8 character may be split).
 *
 * A program that prints fast reaches us as many tiny writes (`yes` through a TTY: a few bytes each,
 * tens of thousands a second), and a socket that reads each one as it comes costs a wake-up, a system
 * call and a trip through the stream machinery per write. So the stream is read on demand: it stops
 * reading as soon as something waits unread, the kernel gathers what comes meanwhile, and a pull takes
 * it all in one read. That is also the backpressure: output nobody pulls stays in the engine's pipe
 * and, once that is full, pauses the program.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

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

export class TerminalOutputReader implements AsyncIterable<string> {
  private pending = '';
  private ended = false;
  private wake: (() => void) | undefined;
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly stream: Readable) {
    readOnDemand(stream);
    stream.on('readable', () => this.wakeUp());
    const end = () => {
      if (this.ended) return;
      this.ended = true;
      this.drain();
      this.pending += this.decoder.end();
      this.wakeUp();
    };
    stream.on('end', end);
    stream.on('close', end);
    stream.on('error', end); // a broken stream just ends
  }

  /** Everything that has arrived since the last take, once there is some; '' once the stream has ended. */
  async take(): Promise<string> {
    for (;;) {
      this.drain();
      if (this.pending !== '' || this.ended) break;
      await this.nextEvent();
    }
    const text = this.pending;
    this.pending = '';
    return text;
  }

  /** Reads up to and including the first line feed; the rest stays for take(). Without one, all there is at the end. */
  async readLine(): Promise<string> {
    for (;;) {
      this.drain();
      const newline = this.pending.indexOf('\n');
      if (newline >= 0) {
        const line = this.pending.slice(0, newline + 1);
        this.pending = this.pending.slice(newline + 1);
        return line;
      }
      if (this.ended) return this.take();
      await this.nextEvent();
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    for (;;) {
      const text = await this.take();
      if (!text) return;
      yield text;
    }
  }

  private drain(): void {
    for (let chunk = this.stream.read() as Buffer | null; chunk !== null; chunk = this.stream.read() as Buffer | null) {
      this.pending += this.decoder.write(chunk);
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
