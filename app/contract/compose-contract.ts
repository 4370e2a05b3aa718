/**
 * The compose part of the contract: bring a project up from a compose file on the app's computer
 * (a stream of compose's progress lines, ending with the project's name, or failing with compose's
 * own message), and take a project down or restart it by its name.
 */
import { z } from 'zod';
import type { ComposeDownMethod, ComposeUpItem } from '../../engine/compose/compose-types.js';
import { method, NoArgs, stream } from './definitions.js';

export const ComposeProjectName = z
  .string()
  .max(63, 'A project name has at most 63 characters.')
  .regex(
    /^[a-z0-9][a-z0-9_-]*$/,
    'A project name has lower-case letters, digits, "-" and "_", and starts with a letter or digit.',
  );

export const ComposeUpItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('step'), object: z.string(), name: z.string(), status: z.string() }),
  z.object({ kind: z.literal('line'), text: z.string() }),
  z.object({ kind: z.literal('done'), project: z.string() }),
]) satisfies z.ZodType<ComposeUpItem>;

const ComposeMethodSchema = z.enum(['compose', 'removed']) satisfies z.ZodType<ComposeDownMethod>;
const ByProject = z.object({ project: ComposeProjectName }).strict();

export const composeContract = {
  /** `docker compose -f FILE [-p NAME] up -d`; unsubscribing stops compose. */
  up: stream(
    z
      .object({ file: z.string().min(1, 'A compose file is required.').max(4096), projectName: ComposeProjectName.nullable() })
      .strict(),
    ComposeUpItemSchema,
    64,
  ),
  /** compose down with the project's file while it exists ('compose'), else its containers removed ('removed'). */
  down: method(ByProject, ComposeMethodSchema),
  restart: method(ByProject, ComposeMethodSchema),
  /** The desktop app's native open dialog for a compose file: its path, or null when cancelled. */
  chooseFile: method(NoArgs, z.string().nullable()),
} as const;

export type ComposeUpProgress = z.output<typeof ComposeUpItemSchema>;
