/**
 * The messages both transports carry: over the WebSocket as JSON, or a binary frame for an item that
 * carries bytes (wire-codec.ts); over Electron IPC by structured clone. Client messages are validated
 * on arrival; nothing from the renderer is trusted.
 */
import { z } from 'zod';
import type { ApiErrorInfo } from './errors.js';

/** The only Electron IPC channel; the preload and the main process take it from here. */
export const IPC_CHANNEL = 'berth:wire';

const RequestId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const ClientMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id: RequestId, method: z.string().max(100), args: z.unknown().optional() }).strict(),
  z.object({ t: z.literal('subscribe'), id: RequestId, stream: z.string().max(100), args: z.unknown().optional() }).strict(),
  z.object({ t: z.literal('unsubscribe'), id: RequestId }).strict(),
  /** The consumer processed `count` more items of stream `id`: the producer may send that many more. */
  z.object({ t: z.literal('ack'), id: RequestId, count: z.number().int().positive().max(1_000_000) }).strict(),
]);

export type ClientMessage = z.infer<typeof ClientMessageSchema>;

export type ServerMessage =
  | { t: 'result'; id: number; value: unknown }
  | { t: 'error'; id: number; error: ApiErrorInfo }
  | { t: 'item'; id: number; value: unknown }
  | { t: 'end'; id: number; error?: ApiErrorInfo };

/** A bidirectional message pipe: a WebSocket in browser mode, ipcRenderer in Electron. */
export interface MessageCarrier {
  send(message: ClientMessage): void;
  /** Returns a disposer. */
  onMessage(listener: (message: ServerMessage) => void): () => void;
}
