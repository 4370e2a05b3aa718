import { describe, expect, it } from 'vitest';
import { TerminalRingBuffer } from './terminal-ring-buffer.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const text = (kept: Uint8Array) => Buffer.from(kept).toString('utf8');

describe('TerminalRingBuffer', () => {
  it('keeps everything under the capacity, in order', () => {
    const ring = new TerminalRingBuffer(100);
    ring.append(bytes('hello '));
    ring.append(bytes(''));
    ring.append(bytes('world'));
    expect(text(ring.snapshot())).toBe('hello world');
    expect(ring.size).toBe(11);
    expect(ring.dropped).toBe(0);
  });

  it('drops the oldest output past the capacity, starting at a line when one is near', () => {
    const ring = new TerminalRingBuffer(160);
    for (let line = 0; line < 100; line += 1) ring.append(bytes(`line ${String(line).padStart(3, '0')}\r\n`));
    const kept = text(ring.snapshot());
    expect(kept.length).toBeLessThanOrEqual(160);
    expect(kept.length).toBeGreaterThan(140);
    expect(kept.startsWith('line ')).toBe(true);
    expect(kept.endsWith('line 099\r\n')).toBe(true);
    expect(ring.dropped + kept.length).toBe(100 * 10);
  });

  it('finds the line start inside a big chunk too', () => {
    const ring = new TerminalRingBuffer(160);
    let all = '';
    for (let line = 0; line < 100; line += 1) all += `line ${String(line).padStart(3, '0')}\r\n`;
    ring.append(bytes(all));
    const kept = text(ring.snapshot());
    expect(kept.startsWith('line ')).toBe(true);
    expect(kept.endsWith('line 099\r\n')).toBe(true);
  });

  it('cuts mid-line when no newline is near (one long line)', () => {
    const ring = new TerminalRingBuffer(64);
    ring.append(bytes('x'.repeat(1000)));
    expect(text(ring.snapshot())).toBe('x'.repeat(64));
  });

  it('never starts inside a UTF-8 character', () => {
    const ring = new TerminalRingBuffer(64);
    ring.append(bytes('✓'.repeat(100))); // three bytes each: 64 is not a character boundary
    const kept = ring.snapshot();
    expect(kept.length).toBe(63);
    expect(text(kept)).toBe('✓'.repeat(21));
  });

  it('keeps order and content across many chunks, with whole chunks dropped', () => {
    const ring = new TerminalRingBuffer(1000);
    let all = '';
    for (let index = 0; index < 500; index += 1) {
      const piece = `${index} `.repeat((index % 7) + 1);
      all += piece;
      ring.append(bytes(piece));
    }
    const kept = text(ring.snapshot());
    expect(kept.length).toBeLessThanOrEqual(1000);
    expect(kept.length).toBe(1000); // no newline anywhere: cut exactly at the capacity
    expect(all.endsWith(kept)).toBe(true);
    expect(ring.dropped + kept.length).toBe(all.length);
  });

  it('a bounded memory: a megabyte through a 4 KiB ring keeps 4 KiB', () => {
    const ring = new TerminalRingBuffer(4096);
    for (let index = 0; index < 1024; index += 1) ring.append(bytes(`${'y'.repeat(1023)}\n`));
    expect(ring.size).toBeLessThanOrEqual(4096);
    expect(text(ring.snapshot()).endsWith('y\n')).toBe(true);
  });
});
