/**
 * Merging the logs of several containers into one sequence ordered by the engine's timestamps. Pure:
 * the explorer (logs-explorer.ts) feeds it the lines each container's log stream delivered.
 *
 * Each container's own lines arrive in time order; across containers they do not. A line can only be
 * handed on once no container can still deliver an earlier one: while reading history, that is the
 * smallest "latest time seen" over the containers whose history has not ended (the watermark). Lines
 * at the same time keep the order of their sources, so the result does not depend on reading speed.
 */
import type { LogBatch } from '../containers/container-types.js';

/** Lines of many containers: `sources[i]` is the key of the container line i came from. */
export interface MergedBatch {
  sources: number[];
  streams: string;
  times: string[];
  texts: string[];
}

export function emptyMerged(): MergedBatch {
  return { sources: [], streams: '', times: [], texts: [] };
}

const CANONICAL_LENGTH = 30; // "2026-01-02T03:04:05.123456789Z"
const TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/**
 * A key that sorts as the time does. The engine writes RFC 3339 with trailing zeros of the fraction
 * cut ("…:05.1Z" is later than "…:05.12Z", which plain string order gets wrong), so the fraction is
 * padded to nine digits; an offset other than Z is turned into UTC. A line without a time sorts first.
 */
export function timeKey(time: string): string {
  if (time.length === CANONICAL_LENGTH && time.endsWith('Z')) return time;
  const match = TIME.exec(time);
  if (!match) return '';
  const fraction = (match[2] ?? '').padEnd(9, '0');
  if (match[3] === 'Z') return `${match[1]}.${fraction}Z`;
  const utc = new Date(`${match[1]}${match[3]}`).toISOString().slice(0, 19);
  return `${utc}.${fraction}Z`;
}

/** One container's lines waiting to be merged, with their sort keys. */
interface Pending {
  keys: string[];
  streams: string;
  times: string[];
  texts: string[];
  /** Lines before this index are already handed on. */
  at: number;
}

/**
 * Holds the lines of each source until they can go out in order. `add` takes a source's next lines;
 * `finish` says a source will deliver no more (its history ended, or it went away); `take` hands on
 * every line up to the watermark, or (flush) everything held, merged.
 */
export class LogMerger {
  private readonly pending = new Map<number, Pending>();
  private readonly open = new Set<number>();
  private held = 0;

  /** A source that will deliver lines: nothing later than its latest line leaves before it is heard from. */
  join(source: number): void {
    this.open.add(source);
    if (!this.pending.has(source)) this.pending.set(source, { keys: [], streams: '', times: [], texts: [], at: 0 });
  }

  /** A source's next lines. A source that did not join (a live one) holds nothing back from the others. */
  add(source: number, batch: LogBatch): void {
    if (!this.pending.has(source)) this.pending.set(source, { keys: [], streams: '', times: [], texts: [], at: 0 });
    const pending = this.pending.get(source)!;
    pending.streams += batch.streams;
    for (let index = 0; index < batch.texts.length; index += 1) {
      const key = timeKey(batch.times[index]!);
      // A source's own lines are in order; a line that is not (a clock step) sorts with its predecessor.
      const previous = pending.keys.at(-1) ?? '';
      pending.keys.push(key < previous ? previous : key);
      pending.times.push(batch.times[index]!);
      pending.texts.push(batch.texts[index]!);
    }
    this.held += batch.texts.length;
  }

  finish(source: number): void {
    this.open.delete(source);
  }

  /** Lines held and not yet handed on: the explorer stops reading while this is high. */
  get size(): number {
    return this.held;
  }

  /** Lines one source holds that are not handed on yet. */
  heldBy(source: number): number {
    const pending = this.pending.get(source);
    return pending ? pending.keys.length - pending.at : 0;
  }

  /** The latest time up to which every open source has spoken; null when one has said nothing yet. */
  private watermark(): string | null {
    let mark: string | null = null;
    for (const source of this.open) {
      const pending = this.pending.get(source)!;
      const last = pending.keys.length > pending.at ? pending.keys.at(-1)! : null;
      if (last === null) return null;
      if (mark === null || last < mark) mark = last;
    }
    return mark ?? '\uffff'; // no open source: everything may go
  }

  /** Which sources hold nothing and are still open: the merge waits for them. */
  waitingOn(): number[] {
    return [...this.open].filter((source) => {
      const pending = this.pending.get(source)!;
      return pending.keys.length <= pending.at;
    });
  }

  /**
   * Lines that can go out in order now (flush: every line held), merged, up to about `maxChars` of
   * text (so one batch fits one wire message); call again for the rest.
   */
  take({ flush = false, maxChars = Infinity }: { flush?: boolean; maxChars?: number } = {}): MergedBatch {
    const limit = flush ? '\uffff' : this.watermark();
    const out = emptyMerged();
    if (limit === null) return out;
    let chars = 0;
    const sources = [...this.pending.keys()].sort((a, b) => a - b);
    for (;;) {
      // The next line overall: the smallest (time, source) among the sources' next lines.
      let best = -1;
      let bestKey = '';
      let next = -1;
      let nextKey = '';
      for (const source of sources) {
        const pending = this.pending.get(source)!;
        if (pending.at >= pending.keys.length) continue;
        const key = pending.keys[pending.at]!;
        if (best < 0 || key < bestKey) {
          [next, nextKey] = [best, bestKey];
          [best, bestKey] = [source, key];
        } else if (next < 0 || key < nextKey) {
          [next, nextKey] = [source, key];
        }
      }
      if (best < 0 || bestKey > limit || chars >= maxChars) break;
      // Take the run of this source's lines that stays before the runner-up's next line (sources are
      // visited in key order, so at an equal time the lower source key wins).
      const pending = this.pending.get(best)!;
      const before = (key: string) => key <= limit && (next < 0 || key < nextKey || (key === nextKey && best < next));
      let end = pending.at + 1;
      chars += pending.texts[pending.at]!.length + 40;
      while (end < pending.keys.length && chars < maxChars && before(pending.keys[end]!)) {
        chars += pending.texts[end]!.length + 40; // the time and the framing of a line
        end += 1;
      }
      for (let index = pending.at; index < end; index += 1) {
        out.sources.push(best);
        out.times.push(pending.times[index]!);
        out.texts.push(pending.texts[index]!);
      }
      out.streams += pending.streams.slice(pending.at, end);
      pending.at = end;
    }
    this.held -= out.texts.length;
    this.compact();
    return out;
  }

  /** Drops what was handed on, and sources that are finished and empty. */
  private compact(): void {
    for (const [source, pending] of this.pending) {
      if (pending.at === 0) continue;
      if (pending.at >= pending.keys.length) {
        if (this.open.has(source)) Object.assign(pending, { keys: [], streams: '', times: [], texts: [], at: 0 });
        else this.pending.delete(source);
        continue;
      }
      // Copying what is left costs what is held: only once the handed-on part is the larger half.
      if (pending.at * 2 < pending.keys.length) continue;
      pending.keys = pending.keys.slice(pending.at);
      pending.streams = pending.streams.slice(pending.at);
      pending.times = pending.times.slice(pending.at);
      pending.texts = pending.texts.slice(pending.at);
      pending.at = 0;
    }
  }
}

/**
 * A resumed log repeats what was read before: drops the lines before `last.time`, and as many at
 * that time as were already seen. (The engine's `since` keeps lines at exactly that time.)
 */
export function skipSeenLines(batch: LogBatch, last: { key: string; count: number } | null): LogBatch {
  if (!last) return batch;
  let start = 0;
  let seenAtLast = 0;
  while (start < batch.times.length) {
    const key = timeKey(batch.times[start]!);
    if (key < last.key) start += 1;
    else if (key === last.key && seenAtLast < last.count) {
      seenAtLast += 1;
      start += 1;
    } else break;
  }
  if (start === 0) return batch;
  return { streams: batch.streams.slice(start), times: batch.times.slice(start), texts: batch.texts.slice(start) };
}
