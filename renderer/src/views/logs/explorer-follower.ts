/**
 * The logs explorer's stream in the page, outside React: one `logs.explore` subscription for the chosen
 * scope, the containers it names, and their merged lines. Tells listeners at most once a frame however
 * fast lines arrive; when painting falls far behind it holds back the acks, so the app stops reading
 * the engine until the page catches up. Past MAX_LINES the oldest lines go, as in the single log.
 */
import type { BerthClient, Subscription } from '../../../../app/contract/client';
import type { ExploreItem, ExploreSource } from '../../../../app/contract/logs-contract';
import type { FrameScheduler } from '../containers/log-follower';
import { ExplorerBuffer } from './explorer-buffer';
import { sourceColour } from './source-colours';

/** Lines held at most (a browser element is at most ~33 million pixels tall); past this the oldest go. */
export const MAX_EXPLORER_LINES = 1_500_000;
/** Lines received but not yet painted before the page stops acknowledging (backpressure). */
const UNPAINTED_LIMIT = 100_000;

export type ExplorerStatus = 'connecting' | 'history' | 'live' | 'ended' | 'failed';

export interface ExplorerSourceView extends ExploreSource {
  colour: string;
  /** Why its part ended ("stopped", "removed", ...), or null while it is read. */
  ended: string | null;
}

export interface ExplorerSnapshot {
  version: number;
  status: ExplorerStatus;
  error: string | null;
  sources: ReadonlyMap<number, ExplorerSourceView>;
  notes: readonly string[];
}

export interface ExplorerScope {
  ids: string[] | null;
  project: string | null;
}

const browserFrames: FrameScheduler = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => cancelAnimationFrame(handle),
};

export class ExplorerFollower {
  readonly buffer = new ExplorerBuffer();
  private snapshot: ExplorerSnapshot = { version: 0, status: 'connecting', error: null, sources: new Map(), notes: [] };
  private readonly listeners = new Set<() => void>();
  private subscription: Subscription | null = null;
  private frame = 0;
  private unpainted = 0;
  private frontChange = 0;

  constructor(
    private readonly api: BerthClient,
    private readonly scope: ExplorerScope,
    private readonly tail: number,
    private readonly frames: FrameScheduler = browserFrames,
    private readonly maxLines = MAX_EXPLORER_LINES,
  ) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): ExplorerSnapshot => this.snapshot;

  private update(change: Partial<ExplorerSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change, version: this.buffer.version };
    for (const listener of [...this.listeners]) listener();
  }

  start(): void {
    if (this.subscription) return;
    this.subscription = this.api.logs.explore(
      { ids: this.scope.ids, project: this.scope.project, tail: this.tail },
      {
        next: (item) => this.receive(item),
        error: (info) => {
          this.subscription = null;
          this.update({ status: 'failed', error: info.message });
        },
        complete: () => {
          this.subscription = null;
          this.update({ status: 'ended' });
        },
      },
    );
  }

  private receive(item: ExploreItem): void | Promise<void> {
    switch (item.kind) {
      case 'source': {
        const sources = new Map(this.snapshot.sources);
        sources.set(item.source.key, { ...item.source, colour: sourceColour(item.source.key), ended: null });
        this.update({ sources, status: this.snapshot.status === 'connecting' ? 'history' : this.snapshot.status });
        return;
      }
      case 'source-ended': {
        const source = this.snapshot.sources.get(item.key);
        if (!source) return;
        const sources = new Map(this.snapshot.sources);
        sources.set(item.key, { ...source, ended: item.message ? `${item.reason}: ${item.message}` : item.reason });
        this.update({ sources });
        return;
      }
      case 'note':
        this.update({ notes: [...this.snapshot.notes, item.message] });
        return;
      case 'history-read':
        this.update({ status: 'live' });
        return;
      case 'lines': {
        this.buffer.append(item.batch);
        this.unpainted += item.batch.texts.length;
        if (this.snapshot.status === 'connecting') this.snapshot = { ...this.snapshot, status: 'history' };
        this.frame ||= this.frames.request(this.paint);
        if (this.unpainted > UNPAINTED_LIMIT) return new Promise<void>((resolve) => this.frames.request(() => resolve()));
        return;
      }
    }
  }

  dispose(): void {
    this.frames.cancel(this.frame);
    this.frame = 0;
    this.subscription?.dispose();
    this.subscription = null;
  }

  private readonly paint = () => {
    this.frame = 0;
    this.unpainted = 0;
    if (this.buffer.length > this.maxLines) this.frontChange -= this.buffer.trimOldest(this.maxLines * 0.75);
    this.update({});
  };

  /** Lines dropped from the front since the last call: the view shifts its scroll by them. */
  readonly takeFrontChange = (): number => {
    const change = this.frontChange;
    this.frontChange = 0;
    return change;
  };
}
