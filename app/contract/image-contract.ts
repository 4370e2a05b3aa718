/**
 * The image part of the contract beyond list and remove: pull and push with progress, tag, detail,
 * prune, registry logins, build, and run. Spread into the `images` area of contract.ts.
 *
 * Progress streams send snapshots (every layer and the overall fraction), not the engine's raw events:
 * a lagging page gets the latest state, never a backlog, and the transfer itself is never slowed.
 * Unsubscribing a pull, push, build or run cancels it in the engine.
 */
import { z } from 'zod';
import type {
  BuildProgress,
  BuildRequest,
  ImageDetail,
  ImageHistoryEntry,
  LayerProgress,
  RegistryLogin,
  RunProgress,
  RunRequest,
  TransferProgress,
} from '../../engine/images/image-types.js';
import { method, NoArgs, Nothing, stream } from './definitions.js';
import { ImageRef } from './schemas.js';
import { PruneResultSchema } from './system-contract.js';

/**
 * A reference to pull, push or tag to. Only its length and characters are checked here; the engine
 * side parses it and says precisely what is wrong (uppercase, a bad tag, a missing name).
 */
export const ImageReferenceInput = z.string().max(512, 'An image reference has at most 512 characters.');
/** "os/arch[/variant]"; only its length here: the engine side parses it and names the format. */
const PlatformInput = z.string().max(128, 'A platform has at most 128 characters.');
const RegistryAddress = z.string().min(1, 'A registry address is required.').max(255);
const HostPath = z.string().min(1, 'A path is required.').max(4096);
const Port = z.number().int().min(1, 'A port is between 1 and 65535.').max(65_535, 'A port is between 1 and 65535.');

export const LayerProgressSchema = z.object({
  id: z.string(),
  status: z.string(),
  current: z.number().nullable(),
  total: z.number().nullable(),
  fraction: z.number(),
  done: z.boolean(),
}) satisfies z.ZodType<LayerProgress>;

export const TransferProgressSchema = z.object({
  reference: z.string(),
  layers: z.array(LayerProgressSchema),
  overall: z.object({ fraction: z.number(), current: z.number(), total: z.number() }),
  message: z.string().nullable(),
  done: z.boolean(),
}) satisfies z.ZodType<TransferProgress>;

export const ImageHistoryEntrySchema = z.object({
  id: z.string().nullable(),
  created: z.number(),
  createdBy: z.string(),
  size: z.number(),
  tags: z.array(z.string()),
  comment: z.string(),
}) satisfies z.ZodType<ImageHistoryEntry>;

export const ImageDetailSchema = z.object({
  id: z.string(),
  repoTags: z.array(z.string()),
  repoDigests: z.array(z.string()),
  created: z.string(),
  size: z.number(),
  architecture: z.string(),
  os: z.string(),
  inspect: z.record(z.string(), z.unknown()),
  history: z.array(ImageHistoryEntrySchema),
  containers: z.array(z.object({ id: z.string(), name: z.string(), state: z.string() })),
}) satisfies z.ZodType<ImageDetail>;

export const RegistryLoginSchema = z.object({ registry: z.string(), username: z.string() }) satisfies z.ZodType<RegistryLogin>;

export const RunRequestSchema = z
  .object({
    image: ImageReferenceInput,
    name: z.string().max(128).optional(),
    command: z.string().max(8192).optional(),
    env: z.array(z.string().max(32_768)).max(500),
    ports: z
      .array(z.object({ hostPort: Port.nullable(), containerPort: Port, protocol: z.enum(['tcp', 'udp', 'sctp']) }).strict())
      .max(200),
    volumes: z.array(z.object({ source: HostPath, target: HostPath, readOnly: z.boolean() }).strict()).max(100),
    restart: z.enum(['no', 'always', 'unless-stopped', 'on-failure']),
    autoRemove: z.boolean(),
    interactive: z.boolean(),
    platform: PlatformInput.optional(),
  })
  .strict() satisfies z.ZodType<RunRequest>;

export const RunProgressSchema = z.discriminatedUnion('kind', [
  /** The image is not here: it is pulled first. */
  z.object({ kind: z.literal('pulling'), progress: TransferProgressSchema }),
  /** Created; a failure after this leaves the container (the caller may offer to remove it). */
  z.object({ kind: z.literal('created'), containerId: z.string(), name: z.string() }),
  z.object({ kind: z.literal('started'), containerId: z.string(), name: z.string() }),
]) satisfies z.ZodType<RunProgress>;

export const BuildRequestSchema = z
  .object({
    contextPath: HostPath,
    dockerfile: z.string().max(4096).optional(),
    tag: ImageReferenceInput.optional(),
    noCache: z.boolean().optional(),
  })
  .strict() satisfies z.ZodType<BuildRequest>;

export const BuildProgressSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('log'), text: z.string() }),
  z.object({ kind: z.literal('done'), imageId: z.string(), tags: z.array(z.string()) }),
]) satisfies z.ZodType<BuildProgress>;

const ByReference = z.object({ reference: ImageReferenceInput }).strict();
const PullRequest = z.object({ reference: ImageReferenceInput, platform: PlatformInput.optional() }).strict();

export const imageContract = {
  /** Pulls a reference (for one platform when given); ends when the image is here. Unsubscribing cancels the pull. */
  pull: stream(PullRequest, TransferProgressSchema, 8),
  /** Pushes a local tag to its registry, with the saved login for it. */
  push: stream(ByReference, TransferProgressSchema, 8),
  tag: method(z.object({ source: ImageRef, target: ImageReferenceInput }).strict(), Nothing),
  /** Inspect JSON, layer history and the containers made from the image. */
  inspect: method(z.object({ reference: ImageRef }).strict(), ImageDetailSchema),
  /** Removes dangling images; says how many and the space freed. */
  prune: method(NoArgs, PruneResultSchema),
  /** Checks the credentials with the registry and saves them (encrypted); wrong ones fail as 'unauthorized'. */
  login: method(
    z
      .object({
        registry: RegistryAddress,
        username: z.string().min(1, 'A user name is required.').max(255),
        password: z.string().min(1, 'A password is required.').max(4096),
      })
      .strict(),
    RegistryLoginSchema,
  ),
  logout: method(z.object({ registry: RegistryAddress }).strict(), Nothing),
  /** Saved logins, without secrets. */
  logins: method(NoArgs, z.array(RegistryLoginSchema)),
  /** Builds from a context folder on the app's machine; streams the log. Unsubscribing stops the build. */
  build: stream(BuildRequestSchema, BuildProgressSchema, 64),
  /** `docker run`: pulls when needed, creates, starts. */
  run: stream(RunRequestSchema, RunProgressSchema, 8),
} as const;

export type TransferProgressItem = z.output<typeof TransferProgressSchema>;
export type ImageDetailInfo = z.output<typeof ImageDetailSchema>;
export type RunRequestInput = z.input<typeof RunRequestSchema>;
export type RunProgressItem = z.output<typeof RunProgressSchema>;
export type BuildProgressItem = z.output<typeof BuildProgressSchema>;
export type RegistryLoginInfo = z.output<typeof RegistryLoginSchema>;
