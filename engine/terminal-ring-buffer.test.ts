import { describe, expect, it } from 'vitest';
import { TerminalRingBuffer } from './terminal-ring-buffer.js';

describe('TerminalRingBuffer', () => {
  it('keeps everything under the capacity, in order', () => {
    const ring = new TerminalRingBuffer(100);
    ring.append('hello ');
    ring.append('');
    ring.append('world');
    expect(ring.snapshot()).toBe('hello world');
    expect(ring.size).toBe(11);
    expect(ring.dropped).toBe(0);
  });

  it('drops the oldest text past the capacity, starting at a line when one is near', () => {
    const ring = new TerminalRingBuffer(160);
    for (let line = 0; line < 100; line += 1) ring.append(`line ${String(line).padStart(3, '0')}\r\n`);
    const kept = ring.snapshot();
    expect(kept.length).toBeLessThanOrEqual(160);
    expect(kept.length).toBeGreaterThan(140);
    expect(kept.startsWith('line ')).toBe(true);
    expect(kept.endsWith('line 099\r\n')).toBe(true);
    expect(ring.dropped + kept.length).toBe(100 * 10);
  });

  it('cuts mid-line when no newline is near (one long line)', () => {
    const ring = new TerminalRingBuffer(64);
    ring.append('x'.repeat(1000));
    expect(ring.snapshot()).toBe('x'.repeat(64));
  });

  it('a bounded memory: a megabyte through a 4 KiB ring keeps 4 KiB', () => {
    const ring = new TerminalRingBuffer(4096);
    for (let index = 0; index < 1024; index += 1) ring.append(`${'y'.repeat(1023)}\n`);
    expect(ring.size).toBeLessThanOrEqual(4096);
    expect(ring.snapshot().endsWith('y\n')).toBe(true);
  });
});
