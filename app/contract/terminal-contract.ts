/** The terminal part of the contract: shells in containers, their input and their size. */
import { z } from 'zod';
import { method, Nothing, stream } from './definitions.js';
import { ContainerRef } from './schemas.js';

const TerminalDimension = z.number().int().min(1).max(2000);
const SessionId = z.string().uuid();

export const TerminalItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('opened'), sessionId: SessionId, shell: z.string() }),
  z.object({ kind: z.literal('output'), data: z.string() }),
  z.object({ kind: z.literal('exited'), exitCode: z.number().nullable() }),
]);

export type TerminalItem = z.output<typeof TerminalItemSchema>;

export const terminalContract = {
  /** A shell in a running container; disposing the subscription ends the shell. */
  session: stream(
    z.object({ containerId: ContainerRef, cols: TerminalDimension, rows: TerminalDimension }).strict(),
    TerminalItemSchema,
    32,
  ),
  input: method(z.object({ sessionId: SessionId, data: z.string().max(65_536) }).strict(), Nothing),
  resize: method(z.object({ sessionId: SessionId, cols: TerminalDimension, rows: TerminalDimension }).strict(), Nothing),
} as const;
