/**
 * The machine part of the contract: where the engine runs (Berth's VM or an engine the user chose),
 * the VM's lifecycle with its progress and failure details, its settings, and what the user's own
 * tools need to reach the engine (DOCKER_HOST, the docker context, shared folders).
 */
import { z } from 'zod';
import { VM_START_STEPS, type VmState } from '../../vm/lifecycle/vm-state.js';

// The renderer names the steps through the contract; it never imports vm/ itself.
export { qemuOutcome, VM_STEP_LABELS } from '../../vm/lifecycle/vm-state.js';
import { method, NoArgs, Nothing, stream } from './definitions.js';

const VmFailureSchema = z.object({
  during: z.enum([...VM_START_STEPS, 'running', 'resting', 'stopping']),
  message: z.string(),
  consoleTail: z.array(z.string()),
  exitStatus: z.string().nullable(),
});

export const VmStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stopped') }),
  z.object({
    kind: z.literal('starting'),
    step: z.enum(VM_START_STEPS),
    stepIndex: z.number(),
    stepCount: z.number(),
    retry: z.string().optional(),
  }),
  z.object({ kind: z.literal('running'), bootMs: z.number() }),
  z.object({ kind: z.literal('resting'), since: z.number(), bootMs: z.number() }),
  z.object({ kind: z.literal('stopping') }),
  z.object({ kind: z.literal('error'), failure: VmFailureSchema }),
]) satisfies z.ZodType<VmState>;

/** One docker CLI plugin Berth offers the user's own docker (compose, buildx), and what became of it. */
const CliPluginSchema = z.object({
  /** The word after `docker`: compose, buildx. */
  command: z.string(),
  /** installed, updated, current: Berth's copy is in the user's folder; kept: the user has their own. */
  status: z.enum(['installed', 'updated', 'current', 'kept', 'failed']),
  version: z.string().nullable(),
  /** Where the CLI finds it, as a person reads it (~/.docker/cli-plugins/docker-compose). */
  path: z.string(),
  /** Why it failed, when it did. */
  reason: z.string().nullable(),
});

export const CliPluginsSchema = z.object({
  /** The user's CLI plugin folder, as a person reads it (~/.docker/cli-plugins). */
  folder: z.string(),
  plugins: z.array(CliPluginSchema),
  /** Why nothing was tried (the plugins are not built), else null. */
  note: z.string().nullable(),
});

export const BootSnapshotSchema = z.object({
  /** restored: from the snapshot; saved: booted cold and saved one for the next start; cold: booted cold. */
  start: z.enum(['restored', 'saved', 'cold']),
  /** What did not go as planned (a snapshot deleted, a save that failed), in a sentence; else null. */
  note: z.string().nullable(),
  storedBytes: z.number().int().nonnegative(),
  /** How long saving or loading the VM's state took, in ms. */
  stateMs: z.number().int().nonnegative().nullable(),
});

export const MachineStatusSchema = z.object({
  /** vm: Berth's own engine VM; external: an engine the user named (--engine, DOCKER_HOST). */
  engine: z.enum(['vm', 'external']),
  /** Where the engine is, as a person reads it ("Berth's VM (QEMU, TCG)", "unix:///var/run/docker.sock"). */
  engineDescription: z.string(),
  vm: z
    .object({
      state: VmStateSchema,
      /** Shown while it applies: that the VM runs without hardware acceleration, for example. */
      notice: z.string().nullable(),
      /** The line for tools that know only DOCKER_HOST, while the host socket is up. */
      dockerHost: z.string().nullable(),
      /** The docker context Berth keeps pointing at its engine, when the docker CLI is installed. */
      dockerContext: z.string().nullable(),
      /** Host folders visible in the VM at the same path, for bind mounts. */
      sharedFolders: z.array(z.string()),
      /** Per container id: why a published port is not reachable on this computer. */
      portProblems: z.record(z.string(), z.array(z.string())),
      /** docker compose and buildx for the user's docker CLI: what the last start did; null before it is done. */
      cliPlugins: CliPluginsSchema.nullable(),
      /** The last start found the VM image missing or damaged: the UI offers a rebuild. */
      imageNeedsRebuild: z.boolean(),
      /** A call found the VM's disk full: the sentence naming it and what to do; null again after space is freed or a restart. */
      diskFull: z.string().nullable(),
      /** What the last start did with the VM's boot snapshot; null before a start, or where starts have none. */
      bootSnapshot: BootSnapshotSchema.nullable(),
    })
    .nullable(),
});

const HostPath = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^\//, 'A shared folder must be an absolute path.')
  .refine((path) => !path.includes('\0') && !path.split('/').includes('..'), 'A shared folder path cannot contain "..".');

export const VmSettingsSchema = z
  .object({
    // Every rule names the field: the form shows the first refusal alone (a NaN is an input that is not a number).
    cpus: z
      .number({ error: 'CPUs must be a whole number.' })
      .int('CPUs must be a whole number.')
      .min(1, 'The VM needs at least 1 CPU.')
      .max(256, 'The VM can have at most 256 CPUs.'),
    memoryMiB: z
      .number({ error: 'Memory must be a whole number of MiB.' })
      .int('Memory must be a whole number of MiB.')
      .min(512, 'The VM needs at least 512 MiB of memory.')
      .max(1_048_576, 'The VM can have at most 1048576 MiB (1 TiB) of memory.'),
    diskGiB: z
      .number({ error: 'The disk size must be a whole number of GiB.' })
      .int('The disk size must be a whole number of GiB.')
      .min(1, 'The disk needs at least 1 GiB.')
      .max(16_384, 'The disk can be at most 16384 GiB.'),
    sharedFolders: z.array(HostPath).max(32),
    startOnLaunch: z.boolean(),
    restAfterMinutes: z
      .number()
      .int('restAfterMinutes must be a whole number of minutes.')
      .min(0, 'restAfterMinutes must be from 0 (never rest) to 1440 minutes.')
      .max(1440, 'restAfterMinutes must be from 0 (never rest) to 1440 minutes.'),
  })
  .strict();

export const VmSettingsViewSchema = z.object({
  settings: VmSettingsSchema,
  /** What this computer allows, for the form's limits. */
  limits: z.object({ maxCpus: z.number(), maxMemoryMiB: z.number() }),
});

export const machineContract = {
  /** The machine's status now, then every change. */
  status: stream(NoArgs, MachineStatusSchema, 4),
  start: method(NoArgs, Nothing),
  /** Graceful: the guest syncs and powers off. */
  stop: method(NoArgs, Nothing),
  restart: method(NoArgs, Nothing),
  /** Builds the VM image again from this computer's Debian packages, then starts the VM. */
  rebuildImage: method(NoArgs, Nothing),
  /** Deletes the VM's data disk (images, containers, volumes); settings are kept. */
  factoryReset: method(NoArgs, Nothing),
  settings: method(NoArgs, VmSettingsViewSchema),
  /** Saves the settings; says whether the running VM must restart for them to apply. */
  updateSettings: method(VmSettingsSchema, z.object({ settings: VmSettingsSchema, needsRestart: z.boolean() })),
} as const;

export type MachineStatus = z.output<typeof MachineStatusSchema>;
export type CliPlugins = z.output<typeof CliPluginsSchema>;
export type VmSettingsView = z.output<typeof VmSettingsViewSchema>;
export type VmSettingsInput = z.output<typeof VmSettingsSchema>;
export type VmStateView = z.output<typeof VmStateSchema>;
