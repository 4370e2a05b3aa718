/**
 * Volume backup and clone, merged into `volumes`: export a volume as a tar (bytes streamed to the page,
 * which saves them as a download), import a tar into a new volume (sent in chunks, each answered once
 * the engine took it: the page never runs ahead of the engine), clone a volume into a new name.
 * Disposing the export or clone stream cancels it; `importCancel` cancels an import. A cancelled or
 * failed import or clone removes the volume it was making; the source is only ever read.
 */
import { z } from 'zod';
import { method, Nothing, stream } from './definitions.js';
import { VolumeName, VolumeSummarySchema } from './schemas.js';

/** 384 KiB of data, 512 KiB as base64: one chunk fits a wire message (1 MiB) with room to spare. */
export const VOLUME_IMPORT_CHUNK_BYTES = 384 * 1024;
const ImportId = z.string().uuid();

/** Bytes as they are: a binary frame over the WebSocket (wire-codec.ts), a Uint8Array over Electron's IPC. */
const Bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'Bytes (a Uint8Array) are expected.');

export const VolumeExportItemSchema = z.discriminatedUnion('kind', [z.object({ kind: z.literal('data'), data: Bytes })]);
export type VolumeExportItem = z.output<typeof VolumeExportItemSchema>;

export const VolumeCloneItemSchema = z.discriminatedUnion('kind', [
  /** Bytes of tar copied so far. */
  z.object({ kind: z.literal('progress'), bytes: z.number() }),
  z.object({ kind: z.literal('done'), volume: VolumeSummarySchema }),
]);
export type VolumeCloneItem = z.output<typeof VolumeCloneItemSchema>;

export const volumeTransferContract = {
  /** The volume as a tar ("./…" entries), chunk by chunk. Dispose to cancel. */
  exportTar: stream(z.object({ name: VolumeName }).strict(), VolumeExportItemSchema, 8),
  /** Checks the new name (valid, not taken); creates nothing until the first bytes prove to be a tar. */
  importBegin: method(z.object({ name: VolumeName, size: z.number().int().min(0) }).strict(), z.object({ importId: ImportId })),
  /** The next bytes, in order; answers when the engine took them. A first block that is not a tar is refused. */
  importChunk: method(
    z
      .object({
        importId: ImportId,
        base64: z
          .string()
          .max(Math.ceil(VOLUME_IMPORT_CHUNK_BYTES / 3) * 4)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Not base64.'),
      })
      .strict(),
    z.object({ received: z.number() }),
  ),
  /** Waits for the engine to have extracted everything: the new volume. */
  importFinish: method(z.object({ importId: ImportId }).strict(), VolumeSummarySchema),
  /** Stops the import and removes the half-made volume. */
  importCancel: method(z.object({ importId: ImportId }).strict(), Nothing),
  /** Copies a volume into a new one. Dispose to cancel (the new volume is removed). */
  clone: stream(z.object({ source: VolumeName, target: VolumeName }).strict(), VolumeCloneItemSchema, 16),
} as const;
