/**
 * Domain types of the container detail features (logs, stats, files, actions). Plain data that crosses
 * any transport as JSON; the renderer imports them as types through the contract.
 */

/** Lines from a container's log, column-wise so a batch of thousands stays small on the wire. */
export interface LogBatch {
  /** One character per line: "o" for stdout, "e" for stderr. */
  streams: string;
  /** The engine's RFC 3339 time of each line, to the nanosecond ("2026-01-02T03:04:05.123456789Z"). */
  times: string[];
  /** Each line's text, without its newline and without terminal escape sequences. */
  texts: string[];
}

/** Where older lines end: the first line already shown, and how many shown lines share its time. */
export interface LogCursor {
  time: string;
  /** Lines at exactly `time` the reader already has (they are the last ones at that time). */
  shown: number;
}

export interface LogPage {
  batch: LogBatch;
  /** Nothing older exists (within the "since" bound): the reader has the whole log. */
  reachedStart: boolean;
}

/** One reading of a container's resource use, from the engine's stats stream. */
export interface StatsSample {
  id: string;
  /** Milliseconds since the epoch, as the engine timed the reading. */
  time: number;
  /** Percent of one CPU (200 = two CPUs busy), as `docker stats` shows it; null on the first reading. */
  cpuPercent: number | null;
  onlineCpus: number;
  /** Bytes in use, page cache that can be dropped left out (as `docker stats` counts). */
  memoryUsage: number;
  /** The container's memory limit in bytes (the host's memory when it has none). */
  memoryLimit: number;
  /** Totals since the container started, in bytes. */
  networkRx: number;
  networkTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
}

export type FileEntryType = 'file' | 'directory' | 'symlink' | 'other';

export interface FileEntry {
  name: string;
  type: FileEntryType;
  size: number;
  /** Seconds since the epoch. */
  modified: number;
  /** "rwxr-xr-x" style. */
  permissions: string;
  /** Where a symlink points; null for anything else. */
  linkTarget: string | null;
}

export interface FileListing {
  /** The absolute path listed, normalised ("/etc", "/"). */
  path: string;
  entries: FileEntry[];
  /** True when the listing stopped early (a huge subtree) and shows only part of the directory. */
  truncated: boolean;
}

/** What a download delivers first, then base64 chunks. */
export interface DownloadInfo {
  /** The name to save as: the file's own name, or "folder.tar" for a directory. */
  fileName: string;
  kind: 'file' | 'tar';
  /** Bytes, when known in advance (a single file); null for a tar being produced. */
  size: number | null;
}

/** A bulk or project action's outcome: what failed, by name, with the engine's reason. */
export interface ActionFailure {
  id: string;
  name: string;
  message: string;
}

export interface CommitResult {
  imageId: string;
  reference: string;
}
