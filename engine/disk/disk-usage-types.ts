/** Disk usage domain types (what `docker system df` shows), plain data for the contract. */

export type DiskUsageKind = 'images' | 'containers' | 'volumes' | 'build-cache';

export interface DiskUsageEntry {
  kind: DiskUsageKind;
  /** How many there are. */
  count: number;
  /** How many are in use (by a container, or by a running build). */
  active: number;
  /** Bytes on disk. */
  size: number;
  /** Bytes that pruning this kind would free. */
  reclaimable: number;
}

export interface DiskUsage {
  /** Images, containers, volumes, build cache, in that order. */
  entries: DiskUsageEntry[];
  /** ISO 8601: when the engine computed these figures. */
  computedAt: string;
}

export interface PruneResult {
  kind: DiskUsageKind;
  /** How many objects were removed (for images: images, not their layers). */
  removed: number;
  /** Bytes freed, as the engine reports them. */
  spaceReclaimed: number;
}
