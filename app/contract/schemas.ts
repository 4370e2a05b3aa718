/**
 * zod schemas for the engine's domain types. Each is declared against its TypeScript type, so the
 * compiler fails the build when the two drift apart.
 */
import { z } from 'zod';
import type {
  ContainerSummary,
  EngineEvent,
  EngineInfo,
  ImageSummary,
  PublishedPort,
  VolumeSummary,
} from '../../engine/core/engine-types.js';
import type { ConnectionState } from '../../engine/core/connection-state.js';

/** A container id (full or short hex) or a name, as the engine accepts them. */
export const ContainerRef = z
  .string()
  .min(1, 'A container id or name is required.')
  .max(256)
  .regex(
    /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
    'Not a container id or name: it starts with a letter or digit and contains only letters, digits, "_", "." and "-".',
  );

/** An image id (sha256:…), a short id, or a reference such as registry:5000/repo/name:tag. */
export const ImageRef = z
  .string()
  .min(1, 'An image reference is required.')
  .max(512)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.\-/:@]*$/, 'Not an image reference.')
  // An empty path segment is never part of a name, and "@" only starts a digest at the end.
  .refine((reference) => !reference.includes('//') && !reference.endsWith('/'), 'Not an image reference: "//" or a trailing "/".')
  .refine(
    (reference) => !reference.includes('@') || /^[^@]+@[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/.test(reference),
    'Not an image reference: "@" must be followed by a digest (sha256:…).',
  );

/** The engine's own rule for volume names (daemon/names.go). */
export const VolumeName = z
  .string()
  .min(2, 'A volume name needs at least 2 characters.')
  .max(255, 'A volume name can have at most 255 characters.')
  .regex(
    /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/,
    'A volume name starts with a letter or digit and contains only letters, digits, "_", "." and "-".',
  );

export const PublishedPortSchema = z.object({
  hostPort: z.number().int().nullable(),
  hostIp: z.string().nullable(),
  containerPort: z.number().int(),
  protocol: z.enum(['tcp', 'udp', 'sctp']),
}) satisfies z.ZodType<PublishedPort>;

export const ContainerSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  imageId: z.string(),
  command: z.string(),
  state: z.enum(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']),
  status: z.string(),
  ports: z.array(PublishedPortSchema),
  created: z.number(),
  composeProject: z.string().nullable(),
  composeService: z.string().nullable(),
}) satisfies z.ZodType<ContainerSummary>;

export const ImageSummarySchema = z.object({
  id: z.string(),
  repoTags: z.array(z.string()),
  size: z.number(),
  created: z.number(),
  containers: z.number(),
  platform: z.string().nullable(),
}) satisfies z.ZodType<ImageSummary>;

export const VolumeSummarySchema = z.object({
  name: z.string(),
  driver: z.string(),
  mountpoint: z.string(),
  createdAt: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
}) satisfies z.ZodType<VolumeSummary>;

export const EngineInfoSchema = z.object({
  version: z.string(),
  apiVersion: z.string(),
  os: z.string(),
  arch: z.string(),
  kernelVersion: z.string(),
}) satisfies z.ZodType<EngineInfo>;

export const ConnectionStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('idle') }),
  z.object({ kind: z.literal('connecting'), endpoint: z.string(), attempt: z.number(), lastFailure: z.string().optional() }),
  z.object({ kind: z.literal('connected'), endpoint: z.string(), info: EngineInfoSchema }),
  z.object({
    kind: z.literal('unreachable'),
    endpoint: z.string(),
    reason: z.string(),
    attempt: z.number(),
    retryInMs: z.number(),
  }),
  z.object({ kind: z.literal('disposed') }),
]) satisfies z.ZodType<ConnectionState>;

export const EngineEventSchema = z.object({
  type: z.enum(['container', 'image', 'volume', 'network']),
  action: z.string(),
  id: z.string(),
  name: z.string().nullable(),
  timeNano: z.number(),
  exitCode: z.number().int().optional(),
}) satisfies z.ZodType<EngineEvent>;
