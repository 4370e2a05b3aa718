/**
 * A WebSocket spoken by hand over a TCP socket, for the wire fuzzer: it can send what no WebSocket
 * library sends (bad opcodes, reserved bits, unmasked or lying lengths, frames after a close) and
 * reads the server's frames back, so a test sees exactly what the server answered or how it closed.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { WEBSOCKET_PATH } from '../web-server.js';

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface RawFrame {
  fin?: boolean;
  /** RSV1-3 as a 3-bit number: anything but 0 is a protocol error without an extension. */
  rsv?: number;
  opcode: number;
  payload: Uint8Array;
  /** Clients must mask; an unmasked frame must be refused. */
  masked?: boolean;
}

export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

export function encodeFrame({ fin = true, rsv = 0, opcode, payload, masked = true }: RawFrame): Buffer {
  const length = payload.length;
  const header = [((fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (opcode & 0xf)) >>> 0];
  const maskBit = masked ? 0x80 : 0;
  if (length < 126) header.push(maskBit | length);
  else if (length < 65_536) header.push(maskBit | 126, length >> 8, length & 0xff);
  else {
    header.push(maskBit | 127, 0, 0, 0, 0);
    header.push((length >>> 24) & 0xff, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff);
  }
  if (!masked) return Buffer.concat([Buffer.from(header), payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i += 1) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([Buffer.from(header), mask, body]);
}

export const textFrame = (text: string): Buffer => encodeFrame({ opcode: OPCODE.text, payload: Buffer.from(text) });

/** Splits what the server sent into frames (the server never masks); leaves an incomplete tail. */
function takeFrames(buffer: Buffer): { frames: ServerFrame[]; rest: Buffer } {
  const frames: ServerFrame[] = [];
  let offset = 0;
  for (;;) {
    if (buffer.length - offset < 2) break;
    const opcode = buffer[offset]! & 0xf;
    let length = buffer[offset + 1]! & 0x7f;
    let header = 2;
    if (length === 126) {
      if (buffer.length - offset < 4) break;
      length = buffer.readUInt16BE(offset + 2);
      header = 4;
    } else if (length === 127) {
      if (buffer.length - offset < 10) break;
      length = Number(buffer.readBigUInt64BE(offset + 2));
      header = 10;
    }
    if (buffer.length - offset < header + length) break;
    frames.push({ opcode, payload: buffer.subarray(offset + header, offset + header + length) });
    offset += header + length;
  }
  return { frames, rest: buffer.subarray(offset) };
}

export interface RawWebSocket {
  write(bytes: Buffer): void;
  /** Every frame received so far. */
  readonly frames: ServerFrame[];
  /** The first text frame (so far or to come) whose JSON has this id (and type), or null after `timeoutMs`. */
  replyTo(id: number, timeoutMs: number, type?: string): Promise<unknown>;
  /** The close code the server sent, once it did. */
  closeCode(): number | null;
  /** Resolves when the TCP connection has ended (either side). */
  readonly ended: Promise<void>;
  destroy(): void;
}

export async function openRawWebSocket(port: number, token: string): Promise<RawWebSocket> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  const frames: ServerFrame[] = [];
  const watchers = new Set<() => void>();
  let pending: Buffer = Buffer.alloc(0);
  let handshake = '';
  let open = false;
  const upgraded = new Promise<void>((resolve, reject) => {
    const onData = (data: Buffer) => {
      let chunk: Buffer = data;
      if (!open) {
        handshake += chunk.toString('latin1');
        const end = handshake.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!handshake.startsWith('HTTP/1.1 101')) return reject(new Error(`upgrade refused: ${handshake.split('\r\n')[0]}`));
        open = true;
        chunk = Buffer.from(handshake.slice(end + 4), 'latin1');
        resolve();
      }
      const taken = takeFrames(Buffer.concat([pending, chunk]));
      pending = taken.rest;
      frames.push(...taken.frames);
      for (const watcher of watchers) watcher();
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('closed before the upgrade')));
  });
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(
    `GET ${WEBSOCKET_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\n` +
      `Authorization: Bearer ${token}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  await upgraded;
  const textReplies = () =>
    frames
      .filter((frame) => frame.opcode === OPCODE.text)
      .map((frame) => {
        try {
          return JSON.parse(frame.payload.toString('utf8')) as { id?: unknown; t?: unknown };
        } catch {
          return {};
        }
      });
  return {
    frames,
    ended,
    write: (bytes) => void (socket.writable && socket.write(bytes)),
    replyTo(id, timeoutMs, type) {
      const find = () => textReplies().find((reply) => reply.id === id && (type === undefined || reply.t === type)) ?? null;
      return new Promise((resolve) => {
        const check = () => {
          const found = find();
          if (found !== null || socket.destroyed) finish(found);
        };
        const timer = setTimeout(() => finish(null), timeoutMs);
        const onClose = () => finish(find());
        function finish(value: unknown) {
          clearTimeout(timer);
          watchers.delete(check);
          socket.off('close', onClose);
          resolve(value);
        }
        watchers.add(check);
        socket.once('close', onClose);
        check();
      });
    },
    closeCode() {
      const close = frames.find((frame) => frame.opcode === OPCODE.close);
      return close && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : null;
    },
    destroy: () => socket.destroy(),
  };
}
