/**
 * Container logs: the tail and then live lines (one engine request, `follow` with `tail`), older pages
 * on demand, and the whole log as text for a download.
 *
 * Older pages: the engine applies `tail` before `until`, so "the N lines before this one" cannot be
 * asked for directly. Near the end of the log (the reader holds fewer than TAIL_READ_MAX lines) a page
 * is read as a bigger tail (the engine reads the file backwards, so it costs what it returns) and cut
 * at the reader's first line. Deeper, where that would return too much, a page is read as a time window
 * [from, until] that ends at the reader's first line, sized from the log's line density (the reader's
 * hint, then what the previous window held) and widened until it holds enough lines or reaches the
 * container's creation: the engine skims the file up to `from` (about a second per million lines), but
 * only the window's lines cross the socket.
 */
import type { Readable } from 'node:stream';
import type { EngineConnection } from '../core/index.js';
import { openEngineStream, readAvailable } from '../core/index.js';
import { engineStoppedError, isEngineCutOff, toEngineError } from '../core/index.js';
import type { LogBatch, LogCursor, LogPage } from './container-types.js';
import {
  appendBatch,
  countLeadingAt,
  countTrailingAt,
  emptyBatch,
  formatEngineTime,
  LogParser,
  parseLogTime,
  secondsToNanos,
  sliceBatch,
} from './log-parser.js';

/** Bytes of log read into one batch at most: big enough for throughput, small enough for one message. */
const BATCH_BYTES = 256 * 1024;
/** While lines pour in, gather them up to this long into one batch (a lone line after a pause goes at once). */
const FOLLOW_HOLD_MS = 40;
const NANOS_PER_SECOND = 1_000_000_000;
/** A window holding more than this many times the page is cut short and sized down. */
const WINDOW_OVERSHOOT = 4;
const MAX_WINDOWS = 12;
/** Up to this many lines from the end, older pages are read as a tail. */
const TAIL_READ_MAX = 200_000;

export interface FollowOptions {
  /** Lines from the end to start with. */
  tail: number;
  /** Seconds since the epoch; lines before are left out. */
  since: number | null;
  /** Keep the stream open for new lines (until the container stops). */
  follow: boolean;
}

export interface OlderOptions {
  limit: number;
  since: number | null;
  /** Lines per second in what the reader has, to size the first window. */
  density: number | null;
  /** How many lines the reader holds from the cursor on (null: unknown). */
  loaded: number | null;
}

interface ContainerLogFacts {
  /** The container's name, for messages (the caller may know it by id). */
  name: string;
  tty: boolean;
  /** Creation time in nanoseconds: no line is older. */
  createdNanos: bigint;
}

export class ContainerLogs {
  constructor(private readonly connection: EngineConnection) {}

  private async facts(id: string): Promise<ContainerLogFacts> {
    this.connection.assertConnected();
    try {
      const info = await this.connection.docker.getContainer(id).inspect();
      return {
        name: info.Name.replace(/^\//, ''),
        tty: info.Config.Tty,
        createdNanos: parseLogTime(info.Created.replace(/(\.\d{9})\d+/, '$1')),
      };
    } catch (error) {
      throw toEngineError(error, `read the logs of ${id}`);
    }
  }

  private open(id: string, query: Record<string, string | number | boolean>, signal?: AbortSignal) {
    return openEngineStream(this.connection, {
      path: `/containers/${encodeURIComponent(id)}/logs`,
      query: { stdout: true, stderr: true, timestamps: true, ...query },
      signal,
      context: `read the logs of ${id}`,
    });
  }

  /**
   * The last `tail` lines, then every new line while the container runs, in batches. Reading pauses
   * while the consumer holds back (credit-based flow control upstream), so the engine waits too.
   */
  async *follow(id: string, options: FollowOptions, signal: AbortSignal): AsyncGenerator<LogBatch> {
    const { name, tty } = await this.facts(id);
    const query: Record<string, string | number | boolean> = { follow: options.follow, tail: options.tail };
    if (options.since !== null) query.since = formatEngineTime(secondsToNanos(options.since));
    const response = await this.open(id, query, signal);
    yield* cutOffAsEngineStop(parseBatches(response, tty, { holdMs: FOLLOW_HOLD_MS }, signal), name, options.follow);
  }

  /**
   * Lines with the query the logs explorer needs: `since` to the nanosecond (a resumed follow starts
   * at the last line it has), `tail` "all" for a container whose whole log is new.
   */
  async *lines(
    id: string,
    options: { follow: boolean; tail: number | 'all'; since: bigint | null },
    signal: AbortSignal,
  ): AsyncGenerator<LogBatch> {
    const { name, tty } = await this.facts(id);
    const query: Record<string, string | number | boolean> = { follow: options.follow, tail: options.tail };
    if (options.since !== null) query.since = formatEngineTime(options.since);
    const response = await this.open(id, query, signal);
    const hold = options.follow ? { holdMs: FOLLOW_HOLD_MS } : {};
    yield* cutOffAsEngineStop(parseBatches(response, tty, hold, signal), name, options.follow);
  }

  /** Up to `limit` lines before the cursor, oldest first. */
  async before(id: string, cursor: LogCursor, options: OlderOptions, signal?: AbortSignal): Promise<LogPage> {
    const facts = await this.facts(id);
    if (options.loaded !== null && options.loaded + options.limit <= TAIL_READ_MAX) {
      const page = await this.beforeByTail(id, facts.tty, cursor, options, options.loaded, signal);
      if (page) return page;
    }
    return this.beforeByWindows(id, facts, cursor, options, signal);
  }

  /** The page cut out of a longer tail; null when the cursor is not in it (many new lines meanwhile). */
  private async beforeByTail(
    id: string,
    tty: boolean,
    cursor: LogCursor,
    options: OlderOptions,
    loaded: number,
    signal?: AbortSignal,
  ): Promise<LogPage | null> {
    const tail = loaded + options.limit + 1_000; // room for lines that arrived since the reader's last
    const query: Record<string, string | number | boolean> = { follow: false, tail };
    if (options.since !== null) query.since = formatEngineTime(secondsToNanos(options.since));
    const response = await this.open(id, query, signal);
    const parser = new LogParser({ tty, stripEscapes: true });
    const lines = emptyBatch();
    for await (const bytes of readAvailable(response, BATCH_BYTES)) appendBatch(lines, parser.push(bytes));
    appendBatch(lines, parser.end());
    const first = lines.times.indexOf(cursor.time);
    if (first < 0) return null;
    let afterAt = first;
    while (afterAt < lines.times.length && lines.times[afterAt] === cursor.time) afterAt += 1;
    const cut = Math.max(first, afterAt - cursor.shown);
    const start = Math.max(0, cut - options.limit);
    // Fewer lines than asked for: the engine gave everything there is (within "since").
    const reachedStart = start === 0 && lines.texts.length < tail;
    return { batch: sliceBatch(lines, start, cut), reachedStart };
  }

  private async beforeByWindows(
    id: string,
    facts: ContainerLogFacts,
    cursor: LogCursor,
    options: OlderOptions,
    signal?: AbortSignal,
  ): Promise<LogPage> {
    const floor = maxBigint(options.since === null ? 0n : secondsToNanos(options.since), facts.createdNanos - secondsToNanos(1));
    let until = parseLogTime(cursor.time);
    let alreadyShown = cursor.shown;
    let windowNanos = initialWindow(options);
    const pages: LogBatch[] = [];
    let count = 0;
    let reachedStart = false;
    for (let round = 0; round < MAX_WINDOWS && count < options.limit; round += 1) {
      if (until <= floor) {
        reachedStart = true;
        break;
      }
      const from = maxBigint(floor, until - BigInt(Math.ceil(windowNanos)));
      const cap = options.limit * WINDOW_OVERSHOOT;
      const range = await this.readRange(id, facts.tty, from, until, cap, signal);
      if (range.cut) {
        // Far more lines than a page: size the window from the density seen near its start.
        const density = range.batch.texts.length / Math.max(1, Number(range.lastRead - from));
        windowNanos = Math.max(1, ((options.limit - count) / density) * 1.2);
        continue;
      }
      const batch = range.batch;
      const untilTime = batch.times.at(-1);
      if (untilTime !== undefined && parseLogTime(untilTime) === until) {
        // The reader's first lines are the last ones at `until`: drop those it has.
        const drop = Math.min(alreadyShown, countTrailingAt(batch, untilTime));
        batch.streams = batch.streams.slice(0, batch.texts.length - drop);
        batch.times.length -= drop;
        batch.texts.length -= drop;
      }
      pages.unshift(batch);
      count += batch.texts.length;
      if (from <= floor) {
        reachedStart = true;
        break;
      }
      // The next window ends where this one began; lines at exactly `from` are already in hand.
      const firstTime = batch.times[0];
      alreadyShown = firstTime !== undefined && parseLogTime(firstTime) === from ? countLeadingAt(batch, firstTime) : 0;
      until = from;
      const observed = batch.texts.length / windowNanos;
      windowNanos = observed > 0 ? Math.max(windowNanos, ((options.limit - count) / observed) * 1.5) : windowNanos * 8;
    }
    const merged = emptyBatch();
    for (const page of pages) appendBatch(merged, page);
    if (merged.texts.length > options.limit) {
      return { batch: sliceBatch(merged, merged.texts.length - options.limit), reachedStart: false };
    }
    return { batch: merged, reachedStart };
  }

  /** Every line in [from, until] (inclusive, as the engine reads both bounds), or the first `cap` and `cut`. */
  private async readRange(id: string, tty: boolean, from: bigint, until: bigint, cap: number, signal?: AbortSignal) {
    const controller = new AbortController();
    const abort = () => controller.abort();
    signal?.addEventListener('abort', abort);
    try {
      const response = await this.open(
        id,
        { follow: false, since: formatEngineTime(from), until: formatEngineTime(until) },
        controller.signal,
      );
      const parser = new LogParser({ tty, stripEscapes: true });
      const batch = emptyBatch();
      for await (const bytes of readAvailable(response, BATCH_BYTES)) {
        appendBatch(batch, parser.push(bytes));
        if (batch.texts.length > cap) {
          const last = batch.times.at(-1);
          return { batch, cut: true, lastRead: last ? parseLogTime(last) : until };
        }
      }
      appendBatch(batch, parser.end());
      return { batch, cut: false, lastRead: until };
    } finally {
      signal?.removeEventListener('abort', abort);
      controller.abort();
    }
  }

  /** The whole log (or since a time) as text, the way `docker logs [-t]` prints it, in chunks. */
  async *text(id: string, options: { since: number | null; timestamps: boolean }, signal: AbortSignal): AsyncGenerator<string> {
    const { name, tty } = await this.facts(id);
    const query: Record<string, string | number | boolean> = { follow: false };
    if (options.since !== null) query.since = formatEngineTime(secondsToNanos(options.since));
    const response = await this.open(id, query, signal);
    const parser = new LogParser({ tty, stripEscapes: false });
    const toText = (batch: LogBatch) => {
      let text = '';
      for (let index = 0; index < batch.texts.length; index += 1) {
        text += options.timestamps ? `${batch.times[index]} ${batch.texts[index]}\n` : `${batch.texts[index]}\n`;
      }
      return text;
    };
    const texts = async function* () {
      for await (const bytes of readAvailable(response, BATCH_BYTES)) {
        const text = toText(parser.push(bytes));
        if (text) yield text;
      }
      const rest = toText(parser.end());
      if (rest && !signal.aborted) yield rest;
    };
    yield* cutOffAsEngineStop(texts(), name, false);
  }
}

/** The log's lines in batches as they come; the last partial line once the stream ends. */
async function* parseBatches(
  response: Readable,
  tty: boolean,
  hold: { holdMs?: number },
  signal: AbortSignal,
): AsyncGenerator<LogBatch> {
  const parser = new LogParser({ tty, stripEscapes: true });
  for await (const bytes of readAvailable(response, BATCH_BYTES, hold)) {
    const batch = parser.push(bytes);
    if (batch.texts.length > 0) yield batch;
  }
  const rest = parser.end();
  if (rest.texts.length > 0 && !signal.aborted) yield rest;
}

/** A log stream cut off mid-way means the engine stopped: say so, naming the container, not "aborted". */
async function* cutOffAsEngineStop<T>(items: AsyncGenerator<T>, name: string, follow: boolean): AsyncGenerator<T> {
  try {
    yield* items;
  } catch (error) {
    if (!isEngineCutOff(error)) throw error;
    throw engineStoppedError(
      `while ${follow ? 'following' : 'reading'} the log of ${name}`,
      follow ? 'the log goes on' : 'read it again',
    );
  }
}

function maxBigint(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function initialWindow(options: OlderOptions): number {
  if (options.density && options.density > 0) return Math.max(1, (options.limit / options.density) * 1.5 * NANOS_PER_SECOND);
  return NANOS_PER_SECOND; // one second, widened from what it holds
}
