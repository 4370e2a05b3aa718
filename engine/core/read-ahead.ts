/**
 * One read started before anyone asks for it, handed to the first asker if nothing has changed since:
 * a page that is loading will want the container list, and the engine can answer while the page's
 * code loads. Any change (an engine event) or age past maxAgeMs throws the read away, so what is
 * handed out is never older than what a fresh read would have seen.
 */
import type { Disposable } from '../../base/index.js';

interface Pending<T> {
  value: Promise<T>;
  watch: Disposable;
  timer: NodeJS.Timeout;
}

export class ReadAhead<T> {
  private pending: Pending<T> | null = null;

  constructor(
    private readonly read: () => Promise<T>,
    /** Subscribes to whatever would make a read stale; returns the disposer. */
    private readonly watchChanges: (changed: () => void) => Disposable,
    private readonly maxAgeMs: number,
  ) {}

  start(): void {
    if (this.pending) return;
    const entry = {} as Pending<T>;
    this.pending = entry;
    // Watch before reading: a change during the read must discard it too.
    entry.watch = this.watchChanges(() => this.drop(entry));
    entry.value = this.read();
    entry.value.catch(() => undefined); // the asker sees the failure, or nobody does
    entry.timer = setTimeout(() => this.drop(entry), this.maxAgeMs);
    entry.timer.unref();
  }

  /** The read started earlier, if it is still good; null otherwise. Each read is handed out once. */
  take(): Promise<T> | null {
    const entry = this.pending;
    if (!entry) return null;
    this.drop(entry);
    return entry.value;
  }

  private drop(entry: Pending<T>): void {
    if (this.pending !== entry) return;
    this.pending = null;
    entry.watch.dispose();
    clearTimeout(entry.timer);
  }
}
