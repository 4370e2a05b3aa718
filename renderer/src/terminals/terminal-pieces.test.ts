import { describe, expect, it } from 'vitest';
import { piecesOf } from './terminal-pieces';

const bytes = (text: string) => new TextEncoder().encode(text);
const joined = (pieces: Uint8Array[]) => new TextDecoder().decode(new Uint8Array(pieces.flatMap((piece) => [...piece])));
const linesIn = (piece: Uint8Array) => piece.filter((byte) => byte === 0x0a).length;

describe('piecesOf', () => {
  it('hands a small frame over whole, as the same object', () => {
    const frame = bytes('total 4\r\ndrwxr-xr-x 2 root root 4096 .\r\n$ ');
    const pieces = piecesOf(frame, 100, 1000);
    expect(pieces).toHaveLength(1);
    expect(pieces[0]).toBe(frame);
  });

  it('an empty frame is one empty piece (its callback must still run)', () => {
    expect(piecesOf(new Uint8Array(0))).toEqual([new Uint8Array(0)]);
  });

  it('cuts after every maxLines line feeds: a flood of short lines goes in bounded pieces', () => {
    const frame = bytes('y\r\n'.repeat(10));
    const pieces = piecesOf(frame, 4, 1000);
    expect(pieces.map(linesIn)).toEqual([4, 4, 2]);
    expect(pieces.every((piece) => new TextDecoder().decode(piece).endsWith('\n'))).toBe(true);
    expect(joined(pieces)).toBe('y\r\n'.repeat(10));
  });

  it('cuts at maxBytes when lines are long or absent, and the pieces join up to the frame exactly', () => {
    const text = `${'0'.repeat(25)}\n${'1'.repeat(7)}`;
    const pieces = piecesOf(bytes(text), 100, 10);
    expect(pieces.map((piece) => piece.length)).toEqual([10, 10, 10, 3]);
    expect(joined(pieces)).toBe(text);
  });

  it('may cut inside a UTF-8 character: xterm joins it across writes, so the text survives', () => {
    const text = '✓'.repeat(5); // 15 bytes
    const pieces = piecesOf(bytes(text), 100, 4);
    expect(pieces.some((piece) => piece.length % 3 !== 0)).toBe(true);
    expect(joined(pieces)).toBe(text);
  });

  it('with the defaults, a 1 MiB frame of `od` goes in sixteen pieces, one of `yes` (many more lines) in eighty-six', () => {
    const odLine = '0000000 061101 033263 145221 002553 165225 131233 125745 006034\r\n';
    const od = bytes(odLine.repeat(Math.ceil((1024 * 1024) / odLine.length))).subarray(0, 1024 * 1024);
    expect(piecesOf(od)).toHaveLength(16);
    const yes = bytes('y\r\n'.repeat(Math.floor((1024 * 1024) / 3)));
    expect(piecesOf(yes)).toHaveLength(86);
    expect(
      piecesOf(yes)
        .slice(0, -1)
        .every((piece) => linesIn(piece) === 4 * 1024),
    ).toBe(true);
  });
});
