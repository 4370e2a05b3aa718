/**
 * Live resource use of containers, from the engine's stats stream (`stream=true`, one reading a second).
 *
 * One engine stream per container, shared by everyone watching it (the detail's charts and the list's
 * CPU and memory columns), opened for the first watcher and closed with the last: nothing runs while
 * nobody looks. A watcher that lags gets the latest reading, not a backlog: a reading is a snapshot.
 */
import type { IncomingMessage } from 'node:http';
import { subscribeToQueue } from '../../base/index.js';
import { LineSplitter } from '../../base/index.js';
import type { StatsSample } from './container-types.js';
import { toStatsSample, type RawStats } from './container-stats-math.js';
import { Emitter, toDisposable, type Disposable } from '../../base/index.js';
import type { EngineConnection } from '../core/index.js';
import { openEngineStream } from '../core/index.js';

interface Feed {
  readonly samples: Emitter<StatsSample>;
  readonly ended: Emitter<void>;
  latest: StatsSample | null;
  readonly controller: AbortController;
  watchers: number;
}

/** The list's columns are refreshed at most this often, all rows in one message. */
const MANY_INTERVAL_MS = 1_000;

export class ContainerStats {
  private readonly feeds = new Map<string, Feed>();

  constructor(private readonly connection: EngineConnection) {}

  /** How many engine stats streams are open (for tests and diagnostics). */
  get openStreams(): number {
    return this.feeds.size;
  }

  /** Calls `onSample` with each reading of the container; `onEnd` when its stream ends (it stopped). */
  subscribe(id: string, onSample: (sample: StatsSample) => void, onEnd: () => void): Disposable {
    const feed = this.feeds.get(id) ?? this.openFeed(id);
    feed.watchers += 1;
    const sampleSubscription = feed.samples.event(onSample);
    const endSubscription = feed.ended.event(onEnd);
    if (feed.latest) queueMicrotask(() => feed.latest && onSample(feed.latest));
    return toDisposable(() => {
      sampleSubscription.dispose();
      endSubscription.dispose();
      feed.watchers -= 1;
      if (feed.watchers === 0) this.closeFeed(id, feed);
    });
  }

  /** One container's readings until it stops or the signal aborts. */
  watch(id: string, signal: AbortSignal): AsyncIterable<StatsSample> {
    return subscribeToQueue<StatsSample>({ capacity: 1, overflow: 'keep-latest', signal }, (queue) =>
      this.subscribe(
        id,
        (sample) => queue.push(sample),
        () => queue.end(),
      ),
    );
  }

  /** The latest readings of several containers, together, once a second (only those that changed). */
  async *watchMany(ids: readonly string[], signal: AbortSignal): AsyncGenerator<StatsSample[]> {
    const latest = new Map<string, StatsSample>();
    const subscriptions = ids.map((id) =>
      this.subscribe(
        id,
        (sample) => latest.set(id, sample),
        () => undefined,
      ),
    );
    try {
      while (!signal.aborted) {
        await new Promise<void>((resolve) => {
          const onAbort = () => {
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          }, MANY_INTERVAL_MS);
          signal.addEventListener('abort', onAbort, { once: true });
        });
        if (signal.aborted || latest.size === 0) continue;
        const samples = [...latest.values()];
        latest.clear();
        yield samples;
      }
    } finally {
      for (const subscription of subscriptions) subscription.dispose();
    }
  }

  private openFeed(id: string): Feed {
    const feed: Feed = {
      samples: new Emitter<StatsSample>(),
      ended: new Emitter<void>(),
      latest: null,
      controller: new AbortController(),
      watchers: 0,
    };
    this.feeds.set(id, feed);
    void this.pump(id, feed);
    return feed;
  }

  private closeFeed(id: string, feed: Feed): void {
    if (this.feeds.get(id) === feed) this.feeds.delete(id);
    feed.controller.abort();
  }

  private async pump(id: string, feed: Feed): Promise<void> {
    let response: IncomingMessage | undefined;
    try {
      response = await openEngineStream(this.connection, {
        path: `/containers/${encodeURIComponent(id)}/stats`,
        query: { stream: true },
        signal: feed.controller.signal,
        context: `read the stats of ${id}`,
      });
      response.setEncoding('utf8');
      const splitter = new LineSplitter();
      for await (const chunk of response as AsyncIterable<string>) {
        for (const line of splitter.push(chunk)) {
          const sample = parseSample(id, line);
          if (!sample) continue;
          feed.latest = sample;
          feed.samples.fire(sample);
        }
      }
    } catch {
      // A stopped container, a vanished one, an engine gone away: all end the feed the same way.
    } finally {
      response?.destroy();
      if (this.feeds.get(id) === feed) this.feeds.delete(id);
      if (!feed.controller.signal.aborted) feed.ended.fire();
    }
  }
}

function parseSample(id: string, line: string): StatsSample | null {
  try {
    return toStatsSample(id, JSON.parse(line) as RawStats);
  } catch {
    return null;
  }
}
