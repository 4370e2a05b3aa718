/**
 * A container's log in the page, outside React: the tail first, then live lines (one subscription),
 * older pages on request. Tells its listeners at most once a frame however fast lines arrive; when the
 * page falls far behind it holds back the acks, so the app stops reading the engine until it catches
 * up. When a stopped container starts again the log resumes where it ended, without repeats.
 */
import type { BerthClient, Subscription } from '../../../../app/contract/client';
import type { LogBatch } from '../../../../app/contract/container-contract';
import { isBerthApiError } from '../../../../app/contract/errors';
import { LogBuffer, skipSeen } from './log-buffer';

/** Lines asked for when the log opens: enough to fill screens, few enough to show at once. */
export const TAIL_LINES = 5_000;
/** Lines per older page. */
export const OLDER_PAGE_LINES = 20_000;
/** Lines held at most (a browser element is at most ~33 million pixels tall); past this the oldest go. */
const MAX_LINES = 1_500_000;
/** Lines received but not yet painted before the page stops acknowledging (backpressure). */
const UNPAINTED_LIMIT = 100_000;

export type LogStatus = 'connecting' | 'live' | 'ended' | 'failed';

export interface LogSnapshot {
  version: number;
  status: LogStatus;
  error: string | null;
  loadingOlder: boolean;
}

export interface FrameScheduler {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

const browserFrames: FrameScheduler = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => cancelAnimationFrame(handle),
};

export class LogFollower {
  readonly buffer = new LogBuffer();
  private snapshot: LogSnapshot = { version: 0, status: 'connecting', error: null, loadingOlder: false };
  private readonly listeners = new Set<() => void>();
  private subscription: Subscription | null = null;
  private frame = 0;
  private unpainted = 0;
  private frontChange = 0;
  private olderFailed = false;
  private disposed = false;
  /** The follow failed because the engine went away: it resumes when the engine is back. */
  private engineLost = false;

  constructor(
    private readonly api: BerthClient,
    private readonly id: string,
    private readonly since: number | null,
    private readonly frames: FrameScheduler = browserFrames,
  ) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): LogSnapshot => this.snapshot;

  private update(change: Partial<LogSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change, version: this.buffer.version };
    for (const listener of [...this.listeners]) listener();
  }

  /** Subscribes (again): from the tail on the first start, from the last held line after that. */
  start(): void {
    this.disposed = false;
    if (this.subscription) return;
    const resumeAfter = this.buffer.lastTime();
    let skipping = resumeAfter !== null;
    this.engineLost = false;
    if (this.snapshot.status === 'failed') this.update({ status: 'connecting', error: null });
    this.subscription = this.api.containers.logs(
      {
        id: this.id,
        tail: resumeAfter ? 100_000 : TAIL_LINES,
        since: resumeAfter ? Math.floor(Date.parse(resumeAfter.time) / 1000) : this.since,
        follow: true,
      },
      {
        next: (batch: LogBatch) => {
          const fresh = skipping ? skipSeen(batch, resumeAfter) : batch;
          if (fresh.texts.length > 0) skipping = false;
          this.buffer.append(fresh);
          this.unpainted += fresh.texts.length;
          if (this.snapshot.status !== 'live') this.update({ status: 'live' });
          this.frame ||= this.frames.request(this.paint);
          if (this.unpainted > UNPAINTED_LIMIT) return new Promise<void>((resolve) => this.frames.request(() => resolve()));
        },
        error: (info) => {
          this.subscription = null;
          this.engineLost = info.code === 'unreachable';
          this.update({ status: 'failed', error: info.message });
        },
        complete: () => {
          this.subscription = null;
          this.update({ status: 'ended' });
        },
      },
    );
  }

  /** The container runs again: the engine ended the follow when it stopped, so subscribe anew. */
  resumeIfEnded(): void {
    if (!this.disposed && this.snapshot.status === 'ended') this.start();
  }

  /** The engine is connected (again): a follow it cut off goes on from the last line held. */
  resumeAfterEngineLoss(): void {
    if (!this.disposed && this.snapshot.status === 'failed' && this.engineLost) this.start();
  }

  dispose(): void {
    this.disposed = true;
    this.frames.cancel(this.frame);
    this.frame = 0;
    this.subscription?.dispose();
    this.subscription = null;
  }

  private readonly paint = () => {
    this.frame = 0;
    this.unpainted = 0;
    if (this.buffer.length > MAX_LINES) this.frontChange -= this.buffer.trimOldest(MAX_LINES * 0.75);
    this.update({});
  };

  /** Lines added at (or dropped from) the front since the last call: the view shifts its scroll by them. */
  readonly takeFrontChange = (): number => {
    const change = this.frontChange;
    this.frontChange = 0;
    return change;
  };

  /**
   * Loads the page before the first line; resolves with how many lines were added. After a failure only
   * a person's request (`manual`) tries again, not scrolling.
   */
  readonly loadOlder = async (manual = false): Promise<number> => {
    const cursor = this.buffer.cursor();
    if (this.snapshot.loadingOlder || this.buffer.reachedStart || !cursor || (this.olderFailed && !manual)) return 0;
    this.olderFailed = false;
    this.update({ loadingOlder: true });
    try {
      const page = await this.api.containers.logsBefore({
        id: this.id,
        before: cursor,
        limit: OLDER_PAGE_LINES,
        since: this.since,
        density: this.buffer.density(),
        loaded: this.buffer.length,
      });
      if (this.disposed) return 0;
      const added = this.buffer.prepend(page.batch);
      this.frontChange += added;
      this.buffer.reachedStart = page.reachedStart;
      this.update({ loadingOlder: false });
      return added;
    } catch (error) {
      this.olderFailed = true;
      this.update({ loadingOlder: false, error: isBerthApiError(error) ? error.message : String(error) });
      return 0;
    }
  };
}
