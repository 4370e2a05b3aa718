/**
 * The volume detail part of the contract, merged into `volumes`: the containers using a volume, its
 * size (computed on demand: the engine walks the volume), its files through a read-only helper, and
 * pruning unused volumes.
 */
import { z } from 'zod';
import { volumePathProblem } from '../../engine/volumes/volume-paths.js';
import type {
  VolumeEntry,
  VolumeFilePreview,
  VolumeListing,
  VolumeUsage,
  VolumeUser,
} from '../../engine/volumes/volume-detail-types.js';
import { method, NoArgs } from './definitions.js';
import { VolumeName, VolumeSummarySchema } from './schemas.js';
import { PruneResultSchema } from './system-contract.js';

export type { VolumeEntry, VolumeFilePreview, VolumeListing, VolumeUsage, VolumeUser };

/** A path inside a volume: "/" or "/a/b", no "..". */
export const VolumePath = z.string().superRefine((path, context) => {
  const problem = volumePathProblem(path);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});

export const VolumeUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  destination: z.string(),
  readOnly: z.boolean(),
}) satisfies z.ZodType<VolumeUser>;

export const VolumeDetailSchema = z.object({ volume: VolumeSummarySchema, containers: z.array(VolumeUserSchema) });
export type VolumeDetail = z.output<typeof VolumeDetailSchema>;

export const VolumeUsageSchema = z.object({
  size: z.number().nullable(),
  refCount: z.number().nullable(),
}) satisfies z.ZodType<VolumeUsage>;

export const VolumeEntrySchema = z.object({
  name: z.string(),
  type: z.enum(['file', 'directory', 'symlink', 'other']),
  size: z.number(),
  modified: z.number(),
  permissions: z.string(),
  uid: z.number(),
  gid: z.number(),
}) satisfies z.ZodType<VolumeEntry>;

export const VolumeListingSchema = z.object({
  path: z.string(),
  entries: z.array(VolumeEntrySchema),
  truncated: z.boolean(),
}) satisfies z.ZodType<VolumeListing>;

export const VolumeFilePreviewSchema = z.object({
  path: z.string(),
  size: z.number(),
  text: z.string().nullable(),
  truncated: z.boolean(),
}) satisfies z.ZodType<VolumeFilePreview>;

const ByName = z.object({ name: VolumeName }).strict();
const InVolume = z.object({ name: VolumeName, path: VolumePath }).strict();

export const volumeDetailContract = {
  /** The volume and the containers (running or not) that mount it. Cheap: no sizes. */
  detail: method(ByName, VolumeDetailSchema),
  /** Its size, from the engine's disk usage: computed now, which can take a while. */
  usage: method(ByName, VolumeUsageSchema),
  /** One directory, listed by a short-lived helper container that mounts the volume read-only. */
  browse: method(InVolume, VolumeListingSchema),
  /** The start of one file (64 KiB), as text when it is text. */
  readFile: method(InVolume, VolumeFilePreviewSchema),
  /** Removes every volume no container uses. */
  prune: method(NoArgs, PruneResultSchema),
} as const;
