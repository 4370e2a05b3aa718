/**
 * The logs explorer's part of the contract: the lines of many containers as one stream, merged by the
 * engine's timestamps, with the containers named as they join and their ends as they come.
 */
import { z } from 'zod';
import type { ExploreItem, ExploreSource, MergedBatch } from '../../engine/logs/logs-types.js';
import { stream } from './definitions.js';
import { ContainerRef } from './schemas.js';

export type { ExploreItem, ExploreSource, MergedBatch };

/** Lines per container when the explorer opens (the bench reads 20 × 50,000). */
export const MAX_EXPLORE_TAIL = 100_000;

const MergedBatchSchema = z.object({
  sources: z.array(z.number().int()),
  streams: z.string(),
  times: z.array(z.string()),
  texts: z.array(z.string()),
}) satisfies z.ZodType<MergedBatch>;

const ExploreSourceSchema = z.object({
  key: z.number().int(),
  id: z.string(),
  name: z.string(),
  project: z.string().nullable(),
}) satisfies z.ZodType<ExploreSource>;

export const ExploreItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('source'), source: ExploreSourceSchema }),
  z.object({ kind: z.literal('lines'), batch: MergedBatchSchema }),
  z.object({ kind: z.literal('history-read') }),
  z.object({ kind: z.literal('note'), message: z.string() }),
  z.object({
    kind: z.literal('source-ended'),
    key: z.number().int(),
    reason: z.enum(['stopped', 'removed', 'failed']),
    message: z.string().nullable(),
  }),
]) satisfies z.ZodType<ExploreItem>;

export const logsContract = {
  /**
   * The last `tail` lines of each container in scope merged by time, then live lines; containers that
   * start later and are in scope join. `ids` null: every container (of `project` when named).
   */
  explore: stream(
    z
      .object({
        ids: z.array(ContainerRef).min(1, 'Name at least one container, or none (null) for all.').max(200).nullable(),
        project: z.string().min(1).max(255).nullable(),
        tail: z
          .number()
          .int()
          .min(1, 'Ask for at least one line per container.')
          .max(MAX_EXPLORE_TAIL, `At most ${MAX_EXPLORE_TAIL.toLocaleString('en-US')} lines per container.`),
      })
      .strict(),
    ExploreItemSchema,
    8,
  ),
} as const;
