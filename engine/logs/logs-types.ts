/** What the logs explorer delivers: the containers it reads, their lines merged by time, and their ends. */
import type { MergedBatch } from './log-merge.js';

export type { MergedBatch };

/** Which containers to read: given ids, or every container (of one compose project when named). */
export interface ExploreScope {
  ids: string[] | null;
  project: string | null;
}

export interface ExploreSource {
  /** Small number naming the container in `MergedBatch.sources`. */
  key: number;
  id: string;
  name: string;
  project: string | null;
}

export type ExploreItem =
  /** A container joins: its lines follow under `key`. */
  | { kind: 'source'; source: ExploreSource }
  | { kind: 'lines'; batch: MergedBatch }
  /** Every container's history (the last `tail` lines each) is delivered; what follows is live. */
  | { kind: 'history-read' }
  /** Something the reader should know about the stream as a whole (containers left out). */
  | { kind: 'note'; message: string }
  /** A container's part ended: it stopped (no new lines until it starts again), was removed, or failed. */
  | { kind: 'source-ended'; key: number; reason: 'stopped' | 'removed' | 'failed'; message: string | null };
