/**
 * Server messages as WebSocket frames. Most are JSON text. A stream item that carries bytes (terminal
 * output) goes as one binary frame instead, so the bytes cross as they are: no JSON escaping in the
 * app, no UTF-8 decode and JSON parse of megabytes in the page. Electron's IPC needs none of this
 * (structured clone carries a Uint8Array as it is); both transports deliver the same ServerMessage.
 *
 * A binary frame: MAGIC (1 byte), the header's length (uint32, big-endian), the header (UTF-8 JSON:
 * `[field, message]`, the message without its bytes), then the bytes, which go back in as
 * `message.value[field]`. One field of bytes per item, at the top of its value.
 *
 * No Node or DOM API here: the app and the page (and the tests) share it.
 */
import type { ServerMessage } from './wire.js';

const MAGIC = 0xb1;
const HEADER_AT = 5;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class WireFormatError extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** The field of an item's value that holds bytes, if any. */
function bytesField(message: ServerMessage): string | undefined {
  if (message.t !== 'item' || !isRecord(message.value)) return undefined;
  let found: string | undefined;
  for (const [key, field] of Object.entries(message.value)) {
    if (!(field instanceof Uint8Array)) continue;
    // JSON would turn a second one into {"0":…,"1":…}: a contract that needs two must change the format.
    if (found !== undefined) throw new WireFormatError(`An item carries bytes in both ${found} and ${key}; one is supported.`);
    found = key;
  }
  return found;
}

export function encodeServerMessage(message: ServerMessage): string | Uint8Array {
  const field = bytesField(message);
  if (field === undefined) return JSON.stringify(message);
  const { [field]: bytes, ...rest } = (message as { value: Record<string, Uint8Array> }).value;
  const header = encoder.encode(JSON.stringify([field, { ...message, value: rest }]));
  const frame = new Uint8Array(HEADER_AT + header.length + bytes!.length);
  frame[0] = MAGIC;
  new DataView(frame.buffer).setUint32(1, header.length);
  frame.set(header, HEADER_AT);
  frame.set(bytes!, HEADER_AT + header.length);
  return frame;
}

/** The message in a frame (text or binary); throws WireFormatError on anything malformed. */
export function decodeServerMessage(data: string | ArrayBuffer | Uint8Array): ServerMessage {
  if (typeof data === 'string') return parseJson(data) as ServerMessage;
  const frame = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (frame.length < HEADER_AT || frame[0] !== MAGIC) throw new WireFormatError('Not a Berth binary frame.');
  const headerLength = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(1);
  if (HEADER_AT + headerLength > frame.length) throw new WireFormatError('A binary frame shorter than its header.');
  const header = parseJson(decoder.decode(frame.subarray(HEADER_AT, HEADER_AT + headerLength)));
  if (!Array.isArray(header) || header.length !== 2 || typeof header[0] !== 'string') {
    throw new WireFormatError('A binary frame with a malformed header.');
  }
  const [field, message] = header as [string, unknown];
  if (!/^[A-Za-z]\w*$/.test(field)) throw new WireFormatError('A binary frame with a malformed field name.');
  if (!isRecord(message) || message.t !== 'item' || !isRecord(message.value)) {
    throw new WireFormatError('A binary frame that is not a stream item.');
  }
  // A view, not a copy: the frame's buffer belongs to this message alone.
  message.value[field] = frame.subarray(HEADER_AT + headerLength);
  return message as ServerMessage;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new WireFormatError('A frame that is not JSON.');
  }
}
