/**
 * Wakes a reader of a file that another process appends to (QEMU's serial console log) when the file
 * changes, through inotify (fs.watch), rather than on a timer: the guest's BERTH-* markers are seen
 * the moment they are written. A fallback timeout covers a watch that cannot be set up or misses.
 */
import fs from 'node:fs';
import type { Disposable } from '../../base/index.js';

export class FileChanges implements Disposable {
  // True at first: the file may have content already, which the reader has not seen.
  private changed = true;
  private wake: (() => void) | undefined;
  private readonly watcher: fs.FSWatcher | undefined;

  constructor(file: string) {
    try {
      this.watcher = fs.watch(file, { persistent: false }, () => {
        this.changed = true;
        this.wake?.();
      });
    } catch {
      this.watcher = undefined; // the fallback timeout keeps the reader going
    }
  }

  /** Resolves at once if the file changed since the last call, else at its next change or after `ms`. */
  next(ms: number): Promise<void> {
    if (this.changed) {
      this.changed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.changed = false;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wake = finish;
    });
  }

  dispose(): void {
    this.watcher?.close();
    this.wake?.();
  }
}
