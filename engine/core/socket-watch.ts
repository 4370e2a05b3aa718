/**
 * Tells when an engine's unix socket is made again (dockerd creates it anew each time it starts), so a
 * connection waiting out its backoff can try at once instead of up to 5 s later. Watching the folder,
 * not the file: the file is removed and recreated, which ends a watch on the file itself.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Disposable } from '../../base/index.js';

/** Calls `onCreated` whenever a socket appears at `socketPath`; null when its folder cannot be watched (the backoff alone then). */
export function watchForSocket(socketPath: string, onCreated: () => void): Disposable | null {
  const name = basename(socketPath);
  let watcher: FSWatcher;
  try {
    watcher = watch(dirname(socketPath), { persistent: false }, (_event, file) => {
      // Other files in the folder change too (a log beside the socket); a removal is not a new engine.
      if (file === name && existsSync(socketPath)) onCreated();
    });
  } catch {
    return null;
  }
  watcher.on('error', () => watcher.close());
  return { dispose: () => watcher.close() };
}
