/**
 * The container detail part of the contract: actions beyond start/stop, logs, inspect, stats, files,
 * commit, bulk and compose-project actions. Merged into `containers` in contract.ts.
 *
 * Binary data (downloads, uploads) travels as base64 in chunks small enough for one wire message.
 */
import { z } from 'zod';
import type {
  ActionFailure,
  CommitResult,
  DownloadInfo,
  FileEntry,
  FileListing,
  LogBatch,
  LogCursor,
  LogPage,
  StatsSample,
} from '../../engine/containers/container-types.js';
import { method, Nothing, stream } from './definitions.js';
import { ContainerRef } from './schemas.js';

export type { ActionFailure, CommitResult, DownloadInfo, FileEntry, FileListing, LogBatch, LogCursor, LogPage, StatsSample };

const ById = z.object({ id: ContainerRef }).strict();

/** The engine's rule for container names (daemon/names.go), a leading "/" allowed as the CLI allows it. */
export const ContainerName = z
  .string()
  .min(1, 'A name is required.')
  .max(255, 'A container name can have at most 255 characters.')
  .regex(
    /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
    'A container name starts with a letter or digit and contains only letters, digits, "_", "." and "-".',
  );

const ContainerPath = z.string().min(1).max(4096).regex(/^\//, 'An absolute path (starting with /) is required.');

const EngineTime = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/, 'An RFC 3339 time is required.')
  // The shape alone lets through month 51 and minute 84 (the fuzzer sent them; they became NaN).
  .refine((time) => !Number.isNaN(Date.parse(time)), 'Not a real time (a month, day, hour or minute out of range).');

/** Seconds since the epoch. */
const Since = z.number().nonnegative().max(1e11).nullable();

export const LogBatchSchema = z.object({
  streams: z.string(),
  times: z.array(z.string()),
  texts: z.array(z.string()),
}) satisfies z.ZodType<LogBatch>;

export const LogPageSchema = z.object({ batch: LogBatchSchema, reachedStart: z.boolean() }) satisfies z.ZodType<LogPage>;

export const StatsSampleSchema = z.object({
  id: z.string(),
  time: z.number(),
  cpuPercent: z.number().nullable(),
  onlineCpus: z.number(),
  memoryUsage: z.number(),
  memoryLimit: z.number(),
  networkRx: z.number(),
  networkTx: z.number(),
  blockRead: z.number(),
  blockWrite: z.number(),
  pids: z.number(),
}) satisfies z.ZodType<StatsSample>;

const FileEntrySchema = z.object({
  name: z.string(),
  type: z.enum(['file', 'directory', 'symlink', 'other']),
  size: z.number(),
  modified: z.number(),
  permissions: z.string(),
  linkTarget: z.string().nullable(),
}) satisfies z.ZodType<FileEntry>;

export const FileListingSchema = z.object({
  path: z.string(),
  entries: z.array(FileEntrySchema),
  truncated: z.boolean(),
}) satisfies z.ZodType<FileListing>;

const DownloadInfoSchema = z.object({
  fileName: z.string(),
  kind: z.enum(['file', 'tar']),
  size: z.number().nullable(),
}) satisfies z.ZodType<DownloadInfo>;

export const DownloadItemSchema = z.discriminatedUnion('kind', [
  /** First: what is coming. */
  z.object({ kind: z.literal('info'), info: DownloadInfoSchema }),
  z.object({ kind: z.literal('chunk'), base64: z.string() }),
]);
export type DownloadItem = z.output<typeof DownloadItemSchema>;

const FailuresSchema = z.object({
  failures: z.array(z.object({ id: z.string(), name: z.string(), message: z.string() }) satisfies z.ZodType<ActionFailure>),
});

const CommitResultSchema = z.object({ imageId: z.string(), reference: z.string() }) satisfies z.ZodType<CommitResult>;

/** 384 KiB of data as base64 (512 KiB): one chunk fits a wire message with room to spare. */
export const UPLOAD_CHUNK_BYTES = 384 * 1024;
/** Uploads are gathered in the app before they go to the engine in one tar. */
export const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;
const UploadId = z.string().uuid();

export const containerContract = {
  pause: method(ById, Nothing),
  unpause: method(ById, Nothing),
  /** Sends a signal: a name (SIGTERM, TERM, RTMIN+1) or a number 1..64; checked with a sentence. */
  kill: method(z.object({ id: ContainerRef, signal: z.string().min(1, 'A signal is required.').max(32) }).strict(), Nothing),
  rename: method(z.object({ id: ContainerRef, name: ContainerName }).strict(), Nothing),
  /** A new image from the container: "name[:tag]" (latest by default), an optional message. */
  commit: method(
    z.object({ id: ContainerRef, reference: z.string().max(512), message: z.string().max(4096).nullable() }).strict(),
    CommitResultSchema,
  ),
  /** `docker inspect`'s JSON for one container. */
  inspect: method(ById, z.record(z.string(), z.unknown())),
  /** The same action on a selection; the failures, by name, with the engine's reasons. */
  bulk: method(
    z
      .object({
        ids: z.array(ContainerRef).min(1).max(500),
        action: z.enum(['start', 'stop', 'restart', 'remove']),
        force: z.boolean(),
      })
      .strict(),
    FailuresSchema,
  ),
  /** Start, stop, restart or remove every container of a compose project (by its label). */
  project: method(
    z.object({ project: z.string().min(1).max(255), action: z.enum(['start', 'stop', 'restart', 'remove']) }).strict(),
    FailuresSchema,
  ),
  /** The last `tail` lines, then new ones while the container runs (when `follow`), in batches. */
  logs: stream(
    z.object({ id: ContainerRef, tail: z.number().int().min(1).max(100_000), since: Since, follow: z.boolean() }).strict(),
    LogBatchSchema,
    8,
  ),
  /** Up to `limit` lines before the reader's first line (cursor: its time, and how many it has at that time). */
  logsBefore: method(
    z
      .object({
        id: ContainerRef,
        before: z.object({ time: EngineTime, shown: z.number().int().min(0).max(1_000_000) }).strict(),
        limit: z.number().int().min(1).max(50_000),
        since: Since,
        density: z.number().positive().nullable(),
        /** How many lines the reader holds from the cursor on: near the end, a page is cut from a longer tail. */
        loaded: z.number().int().min(0).nullable(),
      })
      .strict(),
    LogPageSchema,
  ),
  /** The whole log (or since a time) as `docker logs [-t]` prints it, for a download. */
  logsText: stream(
    z.object({ id: ContainerRef, since: Since, timestamps: z.boolean() }).strict(),
    z.object({ text: z.string() }),
    4,
  ),
  /** One reading a second while the container runs. */
  stats: stream(ById, StatsSampleSchema, 4),
  /** The list's CPU and memory columns: the latest readings of the rows in view, together, once a second. */
  statsMany: stream(z.object({ ids: z.array(ContainerRef).min(1).max(200) }).strict(), z.array(StatsSampleSchema), 2),
  files: method(z.object({ id: ContainerRef, path: ContainerPath }).strict(), FileListingSchema),
  /** A file as itself or a folder as a tar: info first, then base64 chunks. */
  download: stream(z.object({ id: ContainerRef, path: ContainerPath }).strict(), DownloadItemSchema, 8),
  /** Upload in three steps, because one wire message is at most 1 MiB: start, chunks in order, finish. */
  uploadStart: method(
    z
      .object({
        id: ContainerRef,
        directory: ContainerPath,
        name: z.string().min(1).max(255),
        size: z.number().int().min(0).max(MAX_UPLOAD_BYTES, 'Files up to 256 MiB can be uploaded.'),
      })
      .strict(),
    z.object({ uploadId: UploadId }),
  ),
  uploadChunk: method(
    z
      .object({
        uploadId: UploadId,
        base64: z
          .string()
          .max(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Not base64.'),
      })
      .strict(),
    Nothing,
  ),
  /** Writes the file into the container, or (abort) forgets it. */
  uploadFinish: method(z.object({ uploadId: UploadId, abort: z.boolean() }).strict(), Nothing),
} as const;
