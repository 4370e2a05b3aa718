/**
 * The system part of the contract: disk usage as `docker system df` computes it, and pruning per kind.
 * Disk usage is expensive on a big host, so it is a method a page calls when opened, not pushed by events.
 */
import { z } from 'zod';
import type { DiskUsage, DiskUsageEntry, PruneResult } from '../../engine/disk/disk-usage-types.js';
import type { PortHolder } from '../../engine/ports/port-holder-types.js';
import { method, NoArgs, stream } from './definitions.js';
import { DiagnosticsArchiveName, DiagnosticsArchiveSchema, DiagnosticsChunkSchema } from './settings-contract.js';

const PORT_RANGE = 'A port is between 1 and 65535.';
const PortNumber = z.number().int('A port is a whole number.').min(1, PORT_RANGE).max(65_535, PORT_RANGE);

export type { PortHolder };

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

/** Who holds a host port: a container (with its id, for a link), Berth itself, a process of this computer. */
export const PortHolderSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('container'), id: z.string(), name: z.string() }),
  z.object({ kind: z.literal('berth'), description: z.string() }),
  z.object({ kind: z.literal('process'), pid: z.number(), program: z.string() }),
  z.object({ kind: z.literal('unseen'), reason: z.string() }),
  z.object({ kind: z.literal('none') }),
]) satisfies z.ZodType<PortHolder>;

export const systemContract = {
  /** Who holds a TCP port of this computer (or of the engine's host, for a container's published port). */
  portHolder: method(z.object({ port: PortNumber }).strict(), PortHolderSchema),
  diskUsage: method(NoArgs, DiskUsageSchema),
  /** Removes everything unused of one kind (as the CLI's prune with -a) and says how much that freed. */
  prune: method(z.object({ kind: DiskUsageKindSchema }).strict(), PruneResultSchema),
  /**
   * Writes one archive (tar.gz) into the state folder's diagnostics/: the app's log, the VM console,
   * engine info and recent events, settings, versions, the latest failures; secrets are left out.
   */
  diagnose: method(NoArgs, DiagnosticsArchiveSchema),
  /** The bytes of an archive diagnose wrote, for the page to offer as a download (browser mode). */
  diagnosticsDownload: stream(z.object({ name: DiagnosticsArchiveName }).strict(), DiagnosticsChunkSchema, 8),
} as const;
