/**
 * The logs explorer: the lines of many containers as one stream ordered by the engine's timestamps.
 *
 * Two phases. History: each container's last `tail` lines are read (no follow, so each read has a
 * definite end) and merged under a watermark (log-merge.ts): a line leaves once every container still
 * reading has delivered one as late. Live: each running container is followed from its last line
 * (`since` to the nanosecond, repeats skipped); live lines are gathered for a short hold and leave
 * sorted, so lines logged close together by different containers still come out in order. Containers
 * that start while the stream is open (a new one in scope, or one of ours again) are picked up from
 * the engine's event stream; a removed one ends its part with a note, never the whole stream.
 *
 * Memory is bounded: a container's reader waits while the merger holds more than `maxHeld` lines and
 * it has lines of its own waiting (the ones the watermark waits for keep reading, so the merge cannot
 * stall), and the consumer's pace (credit upstream) decides how fast lines leave.
 */
import type { Disposable } from '../../base/index.js';
import type { ContainerService } from '../containers/index.js';
import type { ContainerSummary, EngineEvent } from '../core/index.js';
import type { EngineConnection } from '../core/index.js';
import { EngineError } from '../core/index.js';
import { emptyMerged, LogMerger, skipSeenLines, timeKey, type MergedBatch } from './log-merge.js';
import type { ExploreItem, ExploreScope, ExploreSource } from './logs-types.js';

export interface ExplorerLimits {
  /** Lines the merger may hold before readers that are ahead wait. */
  maxHeld: number;
  /** Containers read at once at most; more in scope are left out with a note. */
  maxSources: number;
  /** Live lines are gathered this long before they leave, sorted. */
  liveHoldMs: number;
  /** Text per delivered batch, so one fits one wire message. */
  batchChars: number;
}

export const DEFAULT_EXPLORER_LIMITS: ExplorerLimits = {
  maxHeld: 50_000,
  maxSources: 200,
  liveHoldMs: 60,
  batchChars: 256 * 1024,
};

interface SourceState extends ExploreSource {
  /** The last line handed to the merger: where a resumed follow starts. */
  last: { key: string; time: string; count: number } | null;
  reader: AbortController | null;
  removed: boolean;
  /** Its part ended (stopped, failed) and the reader was told. */
  ended: boolean;
  /** Its history was read: a follow then reads all its lines (none, or those after `last`), not a tail. */
  historyRead: boolean;
}

function inScope(scope: ExploreScope, container: Pick<ContainerSummary, 'id' | 'name' | 'composeProject'>): boolean {
  if (scope.project !== null && container.composeProject !== scope.project) return false;
  if (scope.ids === null) return true;
  return scope.ids.some((ref) => ref === container.name || (ref.length >= 4 && container.id.startsWith(ref)));
}

export class LogsExplorer {
  constructor(
    private readonly connection: EngineConnection,
    private readonly containers: ContainerService,
    private readonly limits: ExplorerLimits = DEFAULT_EXPLORER_LIMITS,
  ) {}

  async *explore(scope: ExploreScope, tail: number, signal: AbortSignal): AsyncGenerator<ExploreItem> {
    const { limits } = this;
    const merger = new LogMerger();
    /** Merged lines gathered into the next message. */
    const outgoing = emptyMerged();
    const sources = new Map<string, SourceState>();
    const notes: ExploreItem[] = [];
    const events: EngineEvent[] = [];
    let nextKey = 0;
    let live = false;
    let historyReaders = 0;
    let wake: (() => void) | null = null;
    let room: Array<() => void> = [];
    const notify = () => {
      const resolve = wake;
      wake = null;
      resolve?.();
    };
    const freeRoom = () => {
      const waiting = room;
      room = [];
      for (const resolve of waiting) resolve();
    };
    const abort = () => notify();
    signal.addEventListener('abort', abort);
    // Listen before listing: a container that starts between the two is not missed.
    const subscription: Disposable = this.connection.onEvent((event) => {
      if (event.type !== 'container' || !['start', 'destroy'].includes(event.action)) return;
      events.push(event);
      notify();
    });

    const addSource = (container: Pick<ContainerSummary, 'id' | 'name' | 'composeProject'>): SourceState | null => {
      if (sources.size >= limits.maxSources) return null;
      const source: SourceState = {
        key: nextKey++,
        id: container.id,
        name: container.name,
        project: container.composeProject,
        last: null,
        reader: null,
        removed: false,
        historyRead: false,
        ended: false,
      };
      sources.set(container.id, source);
      notes.push({ kind: 'source', source: { key: source.key, id: source.id, name: source.name, project: source.project } });
      return source;
    };

    /**
     * Reads one container's lines into the merger; history: up to the end, live: while it runs. The
     * stream's end (its finally below) aborts every reader: one abort listener, however many containers.
     */
    const read = async (source: SourceState, follow: boolean) => {
      const controller = new AbortController();
      source.reader = controller;
      if (!follow) merger.join(source.key);
      let ended: Extract<ExploreItem, { kind: 'source-ended' }> | null = null;
      try {
        const resume = source.last;
        const options = follow
          ? {
              follow: true,
              tail: resume || source.historyRead ? ('all' as const) : tail,
              since: resume ? nanosOf(resume.time) : null,
            }
          : { follow: false, tail, since: null };
        for await (const raw of this.containers.logs.lines(source.id, options, controller.signal)) {
          const batch = resume ? skipSeenLines(raw, { key: resume.key, count: resume.count }) : raw;
          if (batch.texts.length === 0) continue;
          merger.add(source.key, batch);
          source.last = lastOf(batch, source.last);
          notify();
          while (!controller.signal.aborted && merger.size > limits.maxHeld && merger.heldBy(source.key) > 0) {
            await new Promise<void>((resolve) => room.push(resolve));
          }
        }
        if (follow && !signal.aborted)
          ended = { kind: 'source-ended', key: source.key, reason: source.removed ? 'removed' : 'stopped', message: null };
      } catch (error) {
        if (!signal.aborted) {
          const gone = source.removed || (error instanceof EngineError && error.code === 'not-found');
          source.removed ||= gone;
          ended = {
            kind: 'source-ended',
            key: source.key,
            reason: gone ? 'removed' : 'failed',
            message: gone ? null : (error as Error).message,
          };
        }
      } finally {
        if (source.reader === controller) source.reader = null;
        if (!follow) {
          source.historyRead = true;
          merger.finish(source.key);
          historyReaders -= 1;
        }
        if (ended && (follow || ended.reason !== 'stopped')) {
          source.ended = true;
          notes.push(ended);
        }
        notify();
      }
    };

    const follow = (source: SourceState) => {
      if (source.reader || source.removed || signal.aborted) return;
      // Announced again after its part ended: the reader learns it is read once more.
      if (source.ended)
        notes.push({ kind: 'source', source: { key: source.key, id: source.id, name: source.name, project: source.project } });
      source.ended = false;
      void read(source, true);
    };

    const onEvent = async (event: EngineEvent) => {
      const known = sources.get(event.id);
      if (event.action === 'destroy') {
        if (!known || known.removed) return;
        known.removed = true;
        known.reader?.abort();
        notes.push({ kind: 'source-ended', key: known.key, reason: 'removed', message: null });
        return;
      }
      if (known) return follow(known);
      const [summary] = await this.containers.listByIds([event.id]).catch(() => []);
      if (!summary || !inScope(scope, summary) || sources.has(summary.id)) return;
      const source = addSource(summary);
      if (source) follow(source);
    };

    try {
      const all = await this.containers.list();
      const chosen = all.filter((container) => inScope(scope, container));
      if (scope.ids !== null) {
        const missing = scope.ids.filter((ref) => !chosen.some((container) => inScope({ ids: [ref], project: null }, container)));
        if (missing.length > 0)
          throw new EngineError('not-found', `No container named ${missing.join(', ')}: it may have been removed.`);
      }
      for (const container of chosen) addSource(container);
      if (chosen.length > sources.size) {
        notes.push({
          kind: 'note',
          message: `Showing the logs of ${sources.size} of ${chosen.length} containers: filter by container or project to see the others.`,
        });
      }
      const running = new Set(chosen.filter((container) => container.state === 'running').map((container) => container.id));
      historyReaders = sources.size;
      for (const source of sources.values()) void read(source, false);

      let liveSince: number | null = null;
      while (!signal.aborted) {
        while (notes.length > 0) yield notes.shift()!;
        if (live) {
          // Live: hold the first waiting line briefly, then hand on everything in time order.
          if (merger.size > 0 && liveSince === null) liveSince = Date.now();
          if (merger.size > 0 && (Date.now() - liveSince! >= limits.liveHoldMs || merger.size > limits.maxHeld)) {
            yield* this.drain(merger, outgoing, true, freeRoom);
            liveSince = null;
          }
        } else {
          yield* this.drain(merger, outgoing, historyReaders === 0, freeRoom);
          if (historyReaders === 0) {
            live = true;
            yield { kind: 'history-read' };
            for (const source of sources.values()) if (running.has(source.id)) follow(source);
          }
        }
        while (live && events.length > 0) await onEvent(events.shift()!);
        if (notes.length > 0 || signal.aborted) continue;
        const waitMs = live && liveSince !== null ? Math.max(0, limits.liveHoldMs - (Date.now() - liveSince)) : null;
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (waitMs !== null) setTimeout(notify, waitMs);
        });
      }
    } finally {
      subscription.dispose();
      signal.removeEventListener('abort', abort);
      for (const source of sources.values()) source.reader?.abort();
      freeRoom();
    }
  }

  /**
   * Hands on what the merger lets go, in batches of about a wire message, and wakes readers that
   * waited. While history is read (not `final`), a batch smaller than that stays in `outgoing` for the
   * next round: a few hundred lines per message would cost more in messages than in lines.
   */
  private *drain(merger: LogMerger, outgoing: MergedBatch, final: boolean, freeRoom: () => void): Generator<ExploreItem> {
    const limit = this.limits.batchChars;
    for (;;) {
      const room = limit - charsOf(outgoing);
      const batch = room > 0 ? merger.take({ flush: final, maxChars: room }) : emptyMerged();
      if (batch.texts.length > 0) {
        appendMerged(outgoing, batch);
        freeRoom();
      }
      const full = charsOf(outgoing) >= limit;
      if (!full && !(final && batch.texts.length === 0 && outgoing.texts.length > 0)) {
        if (batch.texts.length > 0) continue;
        return;
      }
      yield { kind: 'lines', batch: takeAll(outgoing) };
    }
  }
}

const LINE_OVERHEAD = 40; // a line's time and framing, as LogMerger counts it

function charsOf(batch: MergedBatch): number {
  let chars = 0;
  for (const text of batch.texts) chars += text.length + LINE_OVERHEAD;
  return chars;
}

function appendMerged(batch: MergedBatch, more: MergedBatch): void {
  batch.streams += more.streams;
  for (let index = 0; index < more.texts.length; index += 1) {
    batch.sources.push(more.sources[index]!);
    batch.times.push(more.times[index]!);
    batch.texts.push(more.texts[index]!);
  }
}

function takeAll(batch: MergedBatch): MergedBatch {
  const taken = { ...batch };
  Object.assign(batch, emptyMerged());
  return taken;
}

function lastOf(batch: { times: string[] }, previous: SourceState['last']): SourceState['last'] {
  const time = batch.times.at(-1)!;
  const key = timeKey(time);
  let count = 0;
  for (let index = batch.times.length - 1; index >= 0 && timeKey(batch.times[index]!) === key; index -= 1) count += 1;
  if (count === batch.times.length && previous?.key === key) count += previous.count;
  return { key, time, count };
}

/** An engine time as nanoseconds since the epoch, for `since`. */
function nanosOf(time: string): bigint {
  const key = timeKey(time);
  const seconds = BigInt(Date.parse(`${key.slice(0, 19)}Z`) / 1000);
  return seconds * 1_000_000_000n + BigInt(key.slice(20, 29));
}
