/**
 * Reading the engine's log stream (`GET /containers/{id}/logs?timestamps=true`) into lines.
 *
 * Without a TTY the engine multiplexes stdout and stderr: each frame is an 8-byte header (stream type,
 * three zero bytes, payload size big-endian) and one log message, "TIME text\n". A message longer than
 * the logger's 16 KiB buffer arrives as several messages, the first ones without the newline; they
 * are joined back into one line. With a TTY there are no frames (everything is stdout) and messages are
 * only delimited by their newlines.
 */
import { StringDecoder } from 'node:string_decoder';
import type { LogBatch } from './container-types.js';

const HEADER_BYTES = 8;
const STDERR = 2;
const TIME_PREFIX = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)$/;
// CSI sequences (colours, cursor moves), OSC sequences (titles, links) and two-byte escapes.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export function stripTerminalEscapes(text: string): string {
  return text.includes('\x1b') ? text.replace(ESCAPES, '') : text;
}

export function emptyBatch(): LogBatch {
  return { streams: '', times: [], texts: [] };
}

type StreamKey = 'o' | 'e';

interface Carry {
  time: string;
  text: string;
}

/** Accumulates lines column-wise; `take()` hands over what is there and starts afresh. */
class BatchBuilder {
  private streams: string[] = [];
  private times: string[] = [];
  private texts: string[] = [];

  add(stream: StreamKey, time: string, text: string): void {
    this.streams.push(stream);
    this.times.push(time);
    this.texts.push(text);
  }

  get size(): number {
    return this.texts.length;
  }

  take(): LogBatch {
    const batch = { streams: this.streams.join(''), times: this.times, texts: this.texts };
    this.streams = [];
    this.times = [];
    this.texts = [];
    return batch;
  }
}

export interface LogParserOptions {
  tty: boolean;
  /** Remove terminal escape sequences (the viewer shows plain text; a download keeps them). */
  stripEscapes: boolean;
}

export class LogParser {
  private pending: Buffer | null = null;
  private readonly decoders = { o: new StringDecoder('utf8'), e: new StringDecoder('utf8') };
  private readonly carry: Record<StreamKey, Carry | null> = { o: null, e: null };
  private ttyText = '';
  private readonly lines = new BatchBuilder();

  constructor(private readonly options: LogParserOptions) {}

  /** Parses a chunk and returns the lines it completed. */
  push(chunk: Buffer): LogBatch {
    if (this.options.tty) this.pushTty(this.decoders.o.write(chunk));
    else this.pushFrames(chunk);
    return this.lines.take();
  }

  /** The stream ended: whatever is left is a last line without its newline. */
  end(): LogBatch {
    if (this.options.tty) {
      this.ttyText += this.decoders.o.end();
      if (this.ttyText) this.message('o', this.ttyText, true);
      this.ttyText = '';
    } else {
      for (const stream of ['o', 'e'] as const) {
        const carry = this.carry[stream];
        if (carry) this.emit(stream, carry.time, carry.text);
        this.carry[stream] = null;
      }
    }
    return this.lines.take();
  }

  private pushFrames(chunk: Buffer): void {
    const data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    let offset = 0;
    while (offset + HEADER_BYTES <= data.length) {
      const size = data.readUInt32BE(offset + 4);
      const end = offset + HEADER_BYTES + size;
      if (end > data.length) break;
      const stream: StreamKey = data[offset] === STDERR ? 'e' : 'o';
      const text = this.decoders[stream].write(data.subarray(offset + HEADER_BYTES, end));
      this.message(stream, text, false);
      offset = end;
    }
    this.pending = offset < data.length ? Buffer.from(data.subarray(offset)) : null;
  }

  private pushTty(text: string): void {
    const all = this.ttyText + text;
    const last = all.lastIndexOf('\n');
    if (last < 0) {
      this.ttyText = all;
      return;
    }
    this.ttyText = all.slice(last + 1);
    let start = 0;
    while (start <= last) {
      const newline = all.indexOf('\n', start);
      this.message('o', all.slice(start, newline + 1), true);
      start = newline + 1;
    }
  }

  /** One engine message: "TIME text", ending in a newline unless the logger split a long line. */
  private message(stream: StreamKey, message: string, tty: boolean): void {
    const space = message.indexOf(' ');
    const head = space > 0 ? message.slice(0, space) : '';
    let time: string;
    let body: string;
    if (TIME_PREFIX.test(head)) {
      time = head;
      body = message.slice(space + 1);
    } else {
      time = this.carry[stream]?.time ?? '';
      body = message;
    }
    const carried = tty ? null : this.carry[stream];
    if (carried) {
      time = carried.time;
      body = carried.text + body;
      this.carry[stream] = null;
    }
    let start = 0;
    for (;;) {
      const newline = body.indexOf('\n', start);
      if (newline < 0) break;
      this.emit(stream, time, body.slice(start, newline));
      start = newline + 1;
    }
    if (start < body.length) {
      if (tty) this.emit(stream, time, body.slice(start));
      else this.carry[stream] = { time, text: body.slice(start) };
    }
  }

  private emit(stream: StreamKey, time: string, raw: string): void {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    this.lines.add(stream, time, this.options.stripEscapes ? stripTerminalEscapes(text) : text);
  }
}

/** Appends `more` to `batch` in place. */
export function appendBatch(batch: LogBatch, more: LogBatch): void {
  batch.streams += more.streams;
  for (const time of more.times) batch.times.push(time);
  for (const text of more.texts) batch.texts.push(text);
}

export function sliceBatch(batch: LogBatch, start: number, end = batch.texts.length): LogBatch {
  return { streams: batch.streams.slice(start, end), times: batch.times.slice(start, end), texts: batch.texts.slice(start, end) };
}

const NANOS_PER_SECOND = 1_000_000_000n;

/** An engine time ("2026-01-02T03:04:05.123456789Z") as nanoseconds since the epoch. */
export function parseLogTime(time: string): bigint {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!match) throw new Error(`Not an engine time: ${time}`);
  const seconds = Date.parse(`${match[1]}${match[3]}`) / 1000;
  const fraction = (match[2] ?? '').padEnd(9, '0');
  return BigInt(seconds) * NANOS_PER_SECOND + BigInt(fraction);
}

/** Nanoseconds as the engine's `since`/`until` query value: "seconds.nanoseconds". */
export function formatEngineTime(nanos: bigint): string {
  const clamped = nanos < 0n ? 0n : nanos;
  return `${clamped / NANOS_PER_SECOND}.${(clamped % NANOS_PER_SECOND).toString().padStart(9, '0')}`;
}

export function secondsToNanos(seconds: number): bigint {
  return BigInt(Math.round(seconds * 1000)) * 1_000_000n;
}

/** How many lines at the end of `batch` have exactly this time. */
export function countTrailingAt(batch: LogBatch, time: string): number {
  let count = 0;
  for (let index = batch.times.length - 1; index >= 0 && batch.times[index] === time; index -= 1) count += 1;
  return count;
}

/** How many lines at the start of `batch` have exactly this time. */
export function countLeadingAt(batch: LogBatch, time: string): number {
  let count = 0;
  while (count < batch.times.length && batch.times[count] === time) count += 1;
  return count;
}
