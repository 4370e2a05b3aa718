import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FLOOD_BYTES,
  FLOOD_FRAME_INTERVAL_MS,
  FRAME_INTERVAL_MS,
  MAX_FRAME,
  QUIET_MS,
  STREAMING_BYTES,
  STREAMING_HALF_LIFE_MS,
  TerminalOutputQueue,
} from './terminal-output-queue.js';

const never = () => false;
const bytes = (text: string) => Buffer.from(text, 'utf8');

/** The frame takeFrame resolves with (as text), once timers have run for `ms`; undefined while it still waits. */
async function frameAfter(taking: Promise<Uint8Array>, ms: number): Promise<string | undefined> {
  let frame: string | undefined;
  void taking.then((taken) => (frame = Buffer.from(taken).toString('utf8')));
  await vi.advanceTimersByTimeAsync(ms);
  return frame;
}

describe('TerminalOutputQueue', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const queue = () => new TerminalOutputQueue(() => Date.now());

  it('sends the echoes of typing at once, key after key', async () => {
    const output = queue();
    for (let key = 0; key < 50; key += 1) {
      output.push(bytes(key % 2 ? 'x' : '\b \b'));
      expect(Buffer.from(await output.takeFrame(never)).toString()).toBe(key % 2 ? 'x' : '\b \b');
      vi.advanceTimersByTime(5);
    }
    expect(output.size).toBe(0);
  });

  it('while a program streams, gathers output until the frame interval has passed', async () => {
    const output = queue();
    output.push(bytes('y\r\n'.repeat(STREAMING_BYTES)));
    expect((await output.takeFrame(never)).length).toBe(3 * STREAMING_BYTES); // the first goes at once

    output.push(bytes('y\r\n'));
    const taking = output.takeFrame(never);
    // The output keeps coming, a little every 10 ms (as the pump delivers a flood).
    for (let at = 10; at < FRAME_INTERVAL_MS; at += 10) {
      expect(await frameAfter(taking, 10)).toBeUndefined();
      output.push(bytes('y\r\n'));
    }
    const lines = Math.ceil(FRAME_INTERVAL_MS / 10);
    expect(await frameAfter(taking, FRAME_INTERVAL_MS - 10 * (lines - 1))).toBe('y\r\n'.repeat(lines));
  });

  it('during a flood, frames go half as often', async () => {
    const output = queue();
    output.push(bytes('y'.repeat(FLOOD_BYTES * 2)));
    await output.takeFrame(never);
    output.push(bytes('y\r\n'));
    const taking = output.takeFrame(never);
    for (let at = 10; at < FLOOD_FRAME_INTERVAL_MS; at += 10) {
      expect(await frameAfter(taking, 10)).toBeUndefined();
      output.push(bytes('y\r\n'));
    }
    expect(await frameAfter(taking, 10)).toBe('y\r\n'.repeat(FLOOD_FRAME_INTERVAL_MS / 10));
    expect(FLOOD_FRAME_INTERVAL_MS).toBeGreaterThan(FRAME_INTERVAL_MS);
  });

  it('when the output pauses, what waits goes at once: a listing, then its prompt', async () => {
    const output = queue();
    output.push(bytes('file\r\n'.repeat(STREAMING_BYTES)));
    await output.takeFrame(never);
    output.push(bytes('$ '));
    const taking = output.takeFrame(never);
    expect(await frameAfter(taking, QUIET_MS - 1)).toBeUndefined();
    expect(await frameAfter(taking, 1)).toBe('$ ');
    expect(QUIET_MS).toBeLessThan(FRAME_INTERVAL_MS);
  });

  it('keeps gathering after a pause in the output, as a busy machine delivers it', async () => {
    const output = queue();
    output.push(bytes('y\r\n'.repeat(STREAMING_BYTES)));
    await output.takeFrame(never);
    const piece = 'y\r\n'.repeat(STREAMING_BYTES / 4); // one of these every 10 ms: a steady flood
    for (let frame = 0; frame < 5; frame += 1) {
      const pause = QUIET_MS + 5; // the program was starved of CPU for a moment
      vi.advanceTimersByTime(pause);
      output.push(bytes(piece));
      const taking = output.takeFrame(never);
      let taken: string | undefined;
      let waited = pause;
      while (taken === undefined) {
        taken = await frameAfter(taking, 5);
        waited += 5;
        if (taken === undefined && waited % 10 === 0) output.push(bytes(piece));
      }
      // Still one frame per interval, with every piece since the pause: not one frame per piece.
      expect(waited).toBe(FRAME_INTERVAL_MS);
      expect(taken.length).toBe(piece.length * (1 + Math.floor((FRAME_INTERVAL_MS - pause) / 10)));
    }
  });

  it('sends a full frame without waiting for the interval, and never more than MAX_FRAME', async () => {
    const output = queue();
    output.push(bytes('a'.repeat(STREAMING_BYTES * 4)));
    await output.takeFrame(never);
    const chunk = 'b'.repeat(MAX_FRAME / 4);
    output.push(bytes(chunk));
    const taking = output.takeFrame(never);
    for (let index = 0; index < 5; index += 1) output.push(bytes(chunk));
    expect((await frameAfter(taking, 0))?.length).toBe(MAX_FRAME);
    expect(output.size).toBe(2 * chunk.length);
  });

  it('output after a quiet moment is not streaming, even after a flood', async () => {
    const output = queue();
    output.push(bytes('z'.repeat(MAX_FRAME)));
    await output.takeFrame(never);
    vi.advanceTimersByTime(STREAMING_HALF_LIFE_MS * 10);
    output.push(bytes('$ '));
    expect(Buffer.from(await output.takeFrame(never)).toString()).toBe('$ ');
  });

  it('stops gathering when told to (the session ended, the renderer left)', async () => {
    const output = queue();
    output.push(bytes('z'.repeat(STREAMING_BYTES * 4)));
    await output.takeFrame(never);
    output.push(bytes('last words'));
    let stopped = false;
    const taking = output.takeFrame(() => stopped);
    expect(await frameAfter(taking, 1)).toBeUndefined();
    stopped = true;
    output.notify();
    expect(await frameAfter(taking, 0)).toBe('last words');
  });

  it('waitForOutput resolves on output or on notify', async () => {
    const output = queue();
    let woke = 0;
    void output.waitForOutput().then(() => (woke += 1));
    await vi.advanceTimersByTimeAsync(0);
    expect(woke).toBe(0);
    output.push(bytes('hi'));
    await vi.advanceTimersByTimeAsync(0);
    expect(woke).toBe(1);
    await output.takeFrame(never);
    void output.waitForOutput().then(() => (woke += 1));
    output.notify();
    await vi.advanceTimersByTimeAsync(0);
    expect(woke).toBe(2);
  });
});
