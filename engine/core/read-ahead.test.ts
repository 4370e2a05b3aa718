import { afterEach, describe, expect, it, vi } from 'vitest';
import { Emitter } from '../../base/index.js';
import { ReadAhead } from './read-ahead.js';

function setUp(maxAgeMs = 1_000) {
  const changes = new Emitter<void>();
  let reads = 0;
  const readAhead = new ReadAhead(
    async () => `read ${++reads}`,
    (changed) => changes.event(changed),
    maxAgeMs,
  );
  return { readAhead, changes, reads: () => reads };
}

describe('ReadAhead', () => {
  afterEach(() => vi.useRealTimers());

  it('hands the early read to the first asker only', async () => {
    const { readAhead, reads } = setUp();
    readAhead.start();
    readAhead.start(); // one read at a time
    expect(reads()).toBe(1);
    await expect(readAhead.take()).resolves.toBe('read 1');
    expect(readAhead.take()).toBeNull();
  });

  it('throws the read away when something changes, and stops watching', () => {
    const { readAhead, changes } = setUp();
    readAhead.start();
    expect(changes.listenerCount).toBe(1);
    changes.fire();
    expect(readAhead.take()).toBeNull();
    expect(changes.listenerCount).toBe(0);
  });

  it('throws the read away when it grows old', () => {
    vi.useFakeTimers();
    const { readAhead } = setUp(3_000);
    readAhead.start();
    vi.advanceTimersByTime(2_999);
    expect(readAhead.take()).not.toBeNull();
    readAhead.start();
    vi.advanceTimersByTime(3_000);
    expect(readAhead.take()).toBeNull();
  });

  it('is nothing until started', () => {
    expect(setUp().readAhead.take()).toBeNull();
  });
});
