/**
 * The terminal part of the contract: shells in containers, their input and their size.
 *
 * Sessions belong to the app, not to a view: `open` starts one and returns its id, `attach` streams its
 * buffered scrollback and then live output (disposing it only detaches), `close` ends it for real,
 * and `list` gives a reloaded page its tabs back.
 */
import { z } from 'zod';
import { method, NoArgs, Nothing, stream } from './definitions.js';
import { ContainerRef } from './schemas.js';

const TerminalDimension = z.number().int().min(1).max(2000);
const SessionId = z.string().uuid();
const AbsolutePath = z
  .string()
  .max(1024)
  .regex(/^\/\S*$/, 'An absolute path (starting with /, no spaces) is required.');

export const TerminalModeSchema = z.enum(['shell', 'attach', 'debug']);

export const TerminalRequestSchema = z
  .object({
    containerId: ContainerRef,
    /** shell: a new shell (exec); attach: the main process's TTY; debug: a helper or a copy with busybox. */
    mode: TerminalModeSchema,
    /** Without it, /bin/bash then /bin/sh. */
    shell: AbsolutePath.optional(),
    /** A command line to run instead of an interactive shell. */
    command: z.string().min(1).max(1024).optional(),
    user: z
      .string()
      .max(64)
      .regex(
        /^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?$/,
        'A user name or uid, optionally with :group (root, 1000 or 1000:1000): letters, digits, "_", "." and "-" only.',
      )
      .optional(),
    workdir: AbsolutePath.optional(),
  })
  .strict();

export const TerminalSessionInfoSchema = z.object({
  id: SessionId,
  containerId: z.string(),
  containerName: z.string(),
  mode: TerminalModeSchema,
  title: z.string(),
  command: z.string(),
  state: z.enum(['running', 'ended']),
  endReason: z.string().nullable(),
  note: z.string().nullable(),
  request: TerminalRequestSchema,
});

export type TerminalSessionInfo = z.output<typeof TerminalSessionInfoSchema>;
export type TerminalRequest = z.output<typeof TerminalRequestSchema>;

/**
 * Output as the TTY wrote it: UTF-8 bytes, which xterm decodes itself (a character may be split between
 * frames). Bytes, not text, because a flood is tens of MB a second: decoding in the app, escaping into
 * JSON and parsing it again in the page cost more than the terminal's own parse. The WebSocket carries
 * them as one binary frame (wire-codec.ts), Electron's IPC as they are.
 */
const TerminalBytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'Bytes (a Uint8Array) are expected.');

export const TerminalFrameSchema = z.discriminatedUnion('kind', [
  /** First: the session as it is and the output kept so far (bounded), to replay before live output. */
  z.object({ kind: z.literal('snapshot'), session: TerminalSessionInfoSchema, data: TerminalBytes }),
  z.object({ kind: z.literal('output'), data: TerminalBytes }),
  /** Last: why it ended. */
  z.object({ kind: z.literal('ended'), session: TerminalSessionInfoSchema }),
]);

export type TerminalFrame = z.output<typeof TerminalFrameSchema>;

export const terminalContract = {
  /** Starts a session that outlives any view; answers once it runs (or says why it cannot). */
  open: method(
    TerminalRequestSchema.extend({ cols: TerminalDimension, rows: TerminalDimension }).strict(),
    TerminalSessionInfoSchema,
  ),
  /** Every session the app holds, running or ended (until closed). */
  list: method(NoArgs, z.array(TerminalSessionInfoSchema)),
  /** Scrollback, then live output, then the end. Disposing detaches; the session keeps running. */
  attach: stream(z.object({ sessionId: SessionId }).strict(), TerminalFrameSchema, 8),
  /** Ends the session for real (the shell is hung up; an attach detaches; a debug helper is removed). */
  close: method(z.object({ sessionId: SessionId }).strict(), Nothing),
  input: method(z.object({ sessionId: SessionId, data: z.string().max(65_536) }).strict(), Nothing),
  resize: method(z.object({ sessionId: SessionId, cols: TerminalDimension, rows: TerminalDimension }).strict(), Nothing),
} as const;
