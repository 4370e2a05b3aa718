/**
 * The system part of the contract: disk usage as `docker system df` computes it, and pruning per kind.
 * Disk usage is expensive on a big host, so it is a method a page calls when opened, not pushed by events.
 */
import { z } from 'zod';
import type { DiskUsage, DiskUsageEntry, PruneResult } from '../../engine/disk/disk-usage-types.js';
import { method, NoArgs } from './definitions.js';
import { DiagnosticsArchiveSchema } from './settings-contract.js';

export type { DiskUsage, DiskUsageEntry, DiskUsageKind, PruneResult } from '../../engine/disk/disk-usage-types.js';

export const DiskUsageKindSchema = z.enum(['images', 'containers', 'volumes', 'build-cache']);

export const DiskUsageEntrySchema = z.object({
  kind: DiskUsageKindSchema,
  count: z.number(),
  active: z.number(),
  size: z.number(),
  reclaimable: z.number(),
}) satisfies z.ZodType<DiskUsageEntry>;

export const DiskUsageSchema = z.object({
  entries: z.array(DiskUsageEntrySchema),
  computedAt: z.string(),
}) satisfies z.ZodType<DiskUsage>;

export const PruneResultSchema = z.object({
  kind: DiskUsageKindSchema,
  removed: z.number(),
  spaceReclaimed: z.number(),
}) satisfies z.ZodType<PruneResult>;

export const systemContract = {
  diskUsage: method(NoArgs, DiskUsageSchema),
  /** Removes everything unused of one kind (as the CLI's prune with -a) and says how much that freed. */
  prune: method(z.object({ kind: DiskUsageKindSchema }).strict(), PruneResultSchema),
  /**
   * Writes one archive (tar.gz) into the state folder's diagnostics/: the app's log, the VM console,
   * engine info and recent events, settings, versions, the latest failures; secrets are left out.
   */
  diagnose: method(NoArgs, DiagnosticsArchiveSchema),
} as const;
