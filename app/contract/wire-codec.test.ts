import { describe, expect, it } from 'vitest';
import { decodeServerMessage, encodeServerMessage, WireFormatError } from './wire-codec.js';
import type { ServerMessage } from './wire.js';

const bytes = (text: string) => new TextEncoder().encode(text);

/** What the browser hands the carrier for a binary frame: an ArrayBuffer of its own. */
function asReceived(frame: string | Uint8Array): string | ArrayBuffer {
  return typeof frame === 'string' ? frame : frame.slice().buffer;
}

describe('wire codec', () => {
  it('sends messages without bytes as JSON text, unchanged', () => {
    const messages: ServerMessage[] = [
      { t: 'result', id: 1, value: { name: 'web', ports: [80] } },
      { t: 'error', id: 2, error: { code: 'not-found', message: 'No such container: x' } },
      { t: 'item', id: 3, value: { kind: 'ended', session: { id: 's' } } },
      { t: 'end', id: 4 },
    ];
    for (const message of messages) {
      const frame = encodeServerMessage(message);
      expect(typeof frame).toBe('string');
      expect(decodeServerMessage(asReceived(frame))).toEqual(message);
    }
  });

  it('sends an item carrying bytes as one binary frame, the bytes as they are', () => {
    // Half a character at the end: the bytes must not be decoded on the way (xterm joins it with the next frame).
    const data = new Uint8Array([...bytes('total 4\r\n✓'), ...bytes('✓').subarray(0, 2)]);
    const message: ServerMessage = { t: 'item', id: 7, value: { kind: 'output', data } };
    const frame = encodeServerMessage(message);
    expect(frame).toBeInstanceOf(Uint8Array);
    expect((frame as Uint8Array).length).toBeLessThan(data.length + 64); // no JSON of the bytes
    const decoded = decodeServerMessage(asReceived(frame));
    expect(decoded).toEqual({ t: 'item', id: 7, value: { kind: 'output', data } });
    expect((decoded as { value: { data: unknown } }).value.data).toBeInstanceOf(Uint8Array);
  });

  it('keeps the rest of the item beside the bytes (a snapshot with its session), and empty bytes', () => {
    const session = { id: 's-1', title: 'web: /bin/sh', state: 'running', note: null };
    for (const data of [bytes('$ ls\r\n'), new Uint8Array(0)]) {
      const message: ServerMessage = { t: 'item', id: 9, value: { kind: 'snapshot', session, data } };
      expect(decodeServerMessage(asReceived(encodeServerMessage(message)))).toEqual(message);
    }
  });

  it('encodes a Node Buffer (a view into a shared pool) by its own bytes only', () => {
    const pool = new Uint8Array(64).fill(0x78);
    const data = pool.subarray(10, 14).fill(0x61); // "aaaa" inside a pool of "x"
    const decoded = decodeServerMessage(asReceived(encodeServerMessage({ t: 'item', id: 1, value: { kind: 'output', data } })));
    expect(new TextDecoder().decode((decoded as { value: { data: Uint8Array } }).value.data)).toBe('aaaa');
  });

  it('decodes a frame given as a Uint8Array view (as Node hands it) the same', () => {
    const frame = encodeServerMessage({ t: 'item', id: 5, value: { kind: 'output', data: bytes('hi') } }) as Uint8Array;
    const padded = new Uint8Array(frame.length + 8);
    padded.set(frame, 8);
    expect(decodeServerMessage(padded.subarray(8))).toEqual({ t: 'item', id: 5, value: { kind: 'output', data: bytes('hi') } });
  });

  it('refuses an item with two fields of bytes (JSON would mangle the second)', () => {
    expect(() => encodeServerMessage({ t: 'item', id: 1, value: { a: bytes('x'), b: bytes('y') } })).toThrow(WireFormatError);
  });

  it('refuses malformed frames with a WireFormatError', () => {
    const good = encodeServerMessage({ t: 'item', id: 1, value: { kind: 'output', data: bytes('hi') } }) as Uint8Array;
    const wrongMagic = good.slice();
    wrongMagic[0] = 0x00;
    const shortHeader = good.slice(0, 10);
    const header = (json: string) => {
      const text = bytes(json);
      const frame = new Uint8Array(5 + text.length);
      frame[0] = good[0]!;
      new DataView(frame.buffer).setUint32(1, text.length);
      frame.set(text, 5);
      return frame;
    };
    for (const bad of [
      'not json',
      new Uint8Array(0),
      wrongMagic,
      shortHeader,
      header('{"t":"item"}'),
      header('["data",{"t":"result","id":1,"value":{}}]'),
      header('["__proto__",{"t":"item","id":1,"value":{}}]'),
      header('["data",{"t":"item","id":1,"value":[]}]'),
    ]) {
      expect(() => decodeServerMessage(bad)).toThrow(WireFormatError);
    }
  });
});
