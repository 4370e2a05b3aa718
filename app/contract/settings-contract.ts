/**
 * Settings as code: every user setting Berth has lives in one JSON file under a dotted key (vm.cpus),
 * described here once. The file's JSON Schema is generated from these schemas (settings-json-schema.ts),
 * the app validates against them, and the UI and the `berth` command read and write through the two
 * methods below, so the file, the UI and the command always agree. Pure: the renderer bundles it.
 */
import { z } from 'zod';
import { method, NoArgs, stream } from './definitions.js';

const HostPath = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^\//, 'A shared folder must be an absolute path.')
  .refine((path) => !path.includes('\0') && !path.split('/').includes('..'), 'A shared folder path cannot contain "..".');

/** When a changed value takes effect: at once, or at the VM's next start (the UI then offers the restart). */
export type SettingApplies = 'now' | 'restart';

interface SettingDefinition {
  schema: z.ZodType;
  description: string;
  applies: SettingApplies;
}

/**
 * Every setting, by its key in the file. The static bounds are what any computer could allow; the
 * app narrows cpus and memory to this computer when it checks a value (settingBounds).
 */
export const SETTING_DEFINITIONS = {
  'vm.cpus': {
    schema: z.number().int().min(1).max(256),
    description: 'CPUs the VM may use (at most the CPUs of this computer).',
    applies: 'restart',
  },
  'vm.memoryMiB': {
    schema: z.number().int().min(512).max(1_048_576),
    description: 'Memory of the VM in MiB (this computer keeps a quarter, at most 2 GiB, for itself).',
    applies: 'restart',
  },
  'vm.diskGiB': {
    schema: z.number().int().min(1).max(16_384),
    description: 'Size of the VM data disk in GiB: grows at the next start, never shrinks below what it holds.',
    applies: 'restart',
  },
  'vm.sharedFolders': {
    schema: z.array(HostPath).max(32),
    description: 'Host folders visible in the VM at the same path, for bind mounts.',
    applies: 'restart',
  },
  'vm.startOnLaunch': {
    schema: z.boolean(),
    description: 'Start the VM when Berth starts.',
    applies: 'now',
  },
  'vm.restAfterMinutes': {
    schema: z.number().int().min(0).max(1440),
    description:
      'Rest the VM (pause it, giving back its memory) after this many minutes without a running container or an engine request; it wakes on the next request. 0: never.',
    applies: 'now',
  },
} as const satisfies Record<string, SettingDefinition>;

export type SettingKey = keyof typeof SETTING_DEFINITIONS;
export const SETTING_KEYS = Object.keys(SETTING_DEFINITIONS) as SettingKey[];
export type SettingValues = { [K in SettingKey]: z.output<(typeof SETTING_DEFINITIONS)[K]['schema']> };

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTING_DEFINITIONS, key);
}

/** The settings file: every key optional (a missing one takes its default), nothing else allowed. */
export const SettingsFileSchema = z
  .object({
    $schema: z.string().optional().describe('The JSON Schema editors validate this file against.'),
    ...(Object.fromEntries(
      SETTING_KEYS.map((key) => {
        const definition: SettingDefinition = SETTING_DEFINITIONS[key];
        return [key, definition.schema.optional().describe(definition.description)];
      }),
    ) as { [K in SettingKey]: z.ZodOptional<(typeof SETTING_DEFINITIONS)[K]['schema']> }),
  })
  .strict()
  .describe(
    "Berth's settings. A key missing here takes its default; an administrator's locked-settings file wins over this one.",
  );

export const SettingEntrySchema = z.object({
  /** Dotted, as in the file: vm.cpus. */
  key: z.string(),
  /** What applies now: the locked value, else the file's, else the default. */
  value: z.unknown(),
  defaultValue: z.unknown(),
  /** Set by the administrator's locked-settings file: the UI shows it disabled, set refuses it. */
  locked: z.boolean(),
  description: z.string(),
  applies: z.enum(['now', 'restart']),
});

export const SettingsListingSchema = z.object({
  /** The settings file's path. */
  file: z.string(),
  /** The administrator's locked-settings file when it exists, else null. */
  lockedFile: z.string().nullable(),
  entries: z.array(SettingEntrySchema),
  /**
   * Why the file's latest content was not applied (invalid JSON, a wrong value: names the file, the line
   * when known, and the key); the settings above are then the last good ones. Null when all is well.
   */
  problem: z.string().nullable(),
  /** A value changed (in the UI, the file or by the command) that the running VM takes only at its next start. */
  needsRestart: z.boolean(),
});

export const settingsContract = {
  list: method(NoArgs, SettingsListingSchema),
  /** Checks the value against the key's schema and this computer, stores it in the file, and says whether a restart is needed. */
  set: method(
    z.object({ key: z.string().min(1).max(200), value: z.unknown() }).strict(),
    z.object({ entry: SettingEntrySchema, needsRestart: z.boolean() }),
  ),
  /** The listing now, then after every change (the file edited, a value set, the locked file changed). */
  watch: stream(NoArgs, SettingsListingSchema, 4),
} as const;

export const DiagnosticsArchiveSchema = z.object({
  /** Where the archive (tar.gz) was written, in the state folder's diagnostics/. */
  path: z.string(),
  bytes: z.number(),
});

/** An archive's file name in diagnostics/ (never a path: the page can fetch only what diagnose wrote). */
export const DiagnosticsArchiveName = z
  .string()
  .regex(
    /^berth-diagnostics-\d{8}-\d{6}\.tar\.gz$/,
    'Not a diagnostics archive name (berth-diagnostics-YYYYMMDD-HHMMSS.tar.gz).',
  );

export const DiagnosticsChunkSchema = z.object({ base64: z.string() });

export type SettingEntry = z.output<typeof SettingEntrySchema>;
export type SettingsListing = z.output<typeof SettingsListingSchema>;
export type SettingsFile = z.output<typeof SettingsFileSchema>;
export type DiagnosticsArchive = z.output<typeof DiagnosticsArchiveSchema>;
