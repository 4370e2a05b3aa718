/**
 * The lines of a log the page holds: appended live, prepended page by page when a person scrolls up.
 * Kept column-wise in chunks (no object per line), so a million lines cost their strings and little
 * else; a line is found by binary search over the chunks' start indices.
 */
import type { LogBatch, LogCursor } from '../../../../app/contract/container-contract';
import { chunkStarts, locateLine } from './chunk-index';

/** Appends go into the last chunk until it holds this many lines. */
const CHUNK_LINES = 16_384;

export interface LogLine {
  stream: 'stdout' | 'stderr';
  time: string;
  text: string;
}

export class LogBuffer {
  private chunks: LogBatch[] = [];
  private starts: number[] = [];
  private total = 0;
  /** Bumped on every change, for React to notice. */
  version = 0;
  /** Nothing older exists: the start of the log (within "since") is in the buffer. */
  reachedStart = false;
  /** Lines ever prepended, and a count of clears and trims: what an incremental search needs to know. */
  prependedTotal = 0;
  epoch = 0;

  get length(): number {
    return this.total;
  }

  append(batch: LogBatch): void {
    if (batch.texts.length === 0) return;
    const last = this.chunks.at(-1);
    if (last && last.texts.length < CHUNK_LINES) {
      last.streams += batch.streams;
      for (const time of batch.times) last.times.push(time);
      for (const text of batch.texts) last.texts.push(text);
    } else {
      this.starts.push(this.total);
      this.chunks.push({ streams: batch.streams, times: [...batch.times], texts: [...batch.texts] });
    }
    this.total += batch.texts.length;
    this.version += 1;
  }

  /** Older lines before the first; returns how many were added (to keep the scroll position). */
  prepend(batch: LogBatch): number {
    const added = batch.texts.length;
    if (added === 0) return 0;
    this.chunks.unshift({ streams: batch.streams, times: [...batch.times], texts: [...batch.texts] });
    this.total += added;
    this.prependedTotal += added;
    this.reindex();
    this.version += 1;
    return added;
  }

  clear(): void {
    this.chunks = [];
    this.starts = [];
    this.total = 0;
    this.reachedStart = false;
    this.epoch += 1;
    this.version += 1;
  }

  /** Drops the oldest whole chunks (never the newest) while more than `max` lines are held; returns how many went. */
  trimOldest(max: number): number {
    let dropped = 0;
    while (this.chunks.length > 1 && this.total - dropped > max) {
      dropped += this.chunks.shift()!.texts.length;
    }
    if (dropped === 0) return 0;
    this.total -= dropped;
    this.reachedStart = false;
    this.epoch += 1;
    this.reindex();
    this.version += 1;
    return dropped;
  }

  private reindex(): void {
    this.starts = chunkStarts(this.chunks);
  }

  private locate(index: number): [LogBatch, number] {
    const [chunk, offset] = locateLine(this.starts, index);
    return [this.chunks[chunk]!, offset];
  }

  line(index: number): LogLine {
    const [chunk, offset] = this.locate(index);
    return {
      stream: chunk.streams[offset] === 'e' ? 'stderr' : 'stdout',
      time: chunk.times[offset]!,
      text: chunk.texts[offset]!,
    };
  }

  /** Where older lines end: the first line's time and how many held lines share it. */
  cursor(): LogCursor | null {
    const first = this.chunks[0];
    if (!first || first.times.length === 0) return null;
    const time = first.times[0]!;
    let shown = 0;
    for (const chunk of this.chunks) {
      let index = 0;
      while (index < chunk.times.length && chunk.times[index] === time) index += 1;
      shown += index;
      if (index < chunk.times.length) break;
    }
    return { time, shown };
  }

  /** The last line's time, and how many held lines share it (to resume without repeats). */
  lastTime(): { time: string; count: number } | null {
    const last = this.chunks.at(-1);
    const time = last?.times.at(-1);
    if (!last || time === undefined) return null;
    let count = 0;
    for (let index = last.times.length - 1; index >= 0 && last.times[index] === time; index -= 1) count += 1;
    return { time, count };
  }

  /** Lines per second over what is held (for sizing the next older page), or null. */
  density(): number | null {
    const first = this.chunks[0]?.times[0];
    const last = this.chunks.at(-1)?.times.at(-1);
    if (!first || !last || this.total < 2) return null;
    const seconds = (Date.parse(last) - Date.parse(first)) / 1000;
    return seconds > 0 ? this.total / seconds : null;
  }

  /** Indices of the lines in [from, to) containing `query` (case-insensitive), at most `limit`. */
  search(query: string, range: { from?: number; to?: number; limit?: number } = {}): number[] {
    const { from = 0, to = this.total, limit = 100_000 } = range;
    const needle = query.toLowerCase();
    const found: number[] = [];
    if (!needle) return found;
    for (let chunkIndex = 0; chunkIndex < this.chunks.length && found.length < limit; chunkIndex += 1) {
      const start = this.starts[chunkIndex]!;
      const texts = this.chunks[chunkIndex]!.texts;
      if (start >= to) break;
      if (start + texts.length <= from) continue;
      const end = Math.min(texts.length, to - start);
      for (let offset = Math.max(0, from - start); offset < end && found.length < limit; offset += 1) {
        if (texts[offset]!.toLowerCase().includes(needle)) found.push(start + offset);
      }
    }
    return found;
  }
}

/**
 * Search results kept up to date as lines arrive: appended lines are searched alone, prepended ones
 * shift the results and are searched alone; only a new query, a clear or a trim searches everything.
 */
export class LogSearch {
  private query = '';
  private matches: number[] = [];
  private scanned = 0;
  private prepended = 0;
  private epoch = -1;

  update(buffer: LogBuffer, query: string): number[] {
    if (query !== this.query || buffer.epoch !== this.epoch) {
      this.query = query;
      this.epoch = buffer.epoch;
      this.prepended = buffer.prependedTotal;
      this.matches = buffer.search(query);
      this.scanned = buffer.length;
      return this.matches;
    }
    const front = buffer.prependedTotal - this.prepended;
    const back = buffer.length - front - this.scanned;
    if (front === 0 && back === 0) return this.matches;
    const older = front > 0 ? buffer.search(query, { to: front }) : [];
    const shifted = front > 0 ? this.matches.map((index) => index + front) : this.matches;
    const newer = back > 0 ? buffer.search(query, { from: front + this.scanned }) : [];
    this.matches = [...older, ...shifted, ...newer];
    this.prepended = buffer.prependedTotal;
    this.scanned = buffer.length;
    return this.matches;
  }
}

/** Splits a line around the matches of `query` (case-insensitive), for highlighting. */
export function splitMatches(text: string, query: string): Array<{ text: string; match: boolean }> {
  if (!query) return [{ text, match: false }];
  const lower = text.toLowerCase();
  const needle = query.toLowerCase();
  const parts: Array<{ text: string; match: boolean }> = [];
  let start = 0;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
    if (at > start) parts.push({ text: text.slice(start, at), match: false });
    parts.push({ text: text.slice(at, at + needle.length), match: true });
    start = at + needle.length;
  }
  if (start < text.length) parts.push({ text: text.slice(start), match: false });
  return parts;
}

/** A batch without the lines a resumed stream repeats: those before or at the last held time. */
export function skipSeen(batch: LogBatch, last: { time: string; count: number } | null): LogBatch {
  if (!last) return batch;
  let seenAtLast = 0;
  let start = 0;
  while (start < batch.times.length) {
    const time = batch.times[start]!;
    if (time < last.time) start += 1;
    else if (time === last.time && seenAtLast < last.count) {
      seenAtLast += 1;
      start += 1;
    } else break;
  }
  if (start === 0) return batch;
  return { streams: batch.streams.slice(start), times: batch.times.slice(start), texts: batch.texts.slice(start) };
}
