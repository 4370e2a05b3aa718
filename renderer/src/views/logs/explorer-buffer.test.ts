import { describe, expect, it } from 'vitest';
import type { MergedBatch } from '../../../../app/contract/logs-contract';
import { ExplorerBuffer, ExplorerSearch } from './explorer-buffer';

const batch = (texts: string[], source = 0): MergedBatch => ({
  sources: texts.map(() => source),
  streams: 'o'.repeat(texts.length),
  times: texts.map((_, index) => `2026-12-07T10:00:00.${String(index).padStart(9, '0')}Z`),
  texts,
});

describe('ExplorerBuffer', () => {
  it('keeps each line with its container', () => {
    const buffer = new ExplorerBuffer();
    buffer.append(batch(['a'], 3));
    buffer.append({ sources: [5], streams: 'e', times: ['2026-12-07T10:00:01Z'], texts: ['b'] });
    expect(buffer.length).toBe(2);
    expect(buffer.line(1)).toEqual({ source: 5, stream: 'stderr', time: '2026-12-07T10:00:01Z', text: 'b' });
    expect(buffer.line(0).source).toBe(3);
  });

  it('is bounded: the oldest whole chunks go, never the newest lines', () => {
    const buffer = new ExplorerBuffer();
    for (let round = 0; round < 10; round += 1)
      buffer.append(batch(Array.from({ length: 20_000 }, (_, index) => `r${round}-${index}`)));
    const dropped = buffer.trimOldest(100_000);
    expect(buffer.length).toBeLessThanOrEqual(100_000);
    expect(buffer.length + dropped).toBe(200_000);
    expect(buffer.line(buffer.length - 1).text).toBe('r9-19999');
    expect(buffer.droppedTotal).toBe(dropped);
  });
});

describe('ExplorerSearch', () => {
  it('searches new lines alone as they come, and shifts results when old lines go', () => {
    const buffer = new ExplorerBuffer();
    const search = new ExplorerSearch();
    const regex = /error/i;
    buffer.append(batch(['ok', 'Error 1']));
    expect(search.update(buffer, regex)).toEqual([1]);
    buffer.append(batch(['ERROR 2', 'fine']));
    expect(search.update(buffer, regex)).toEqual([1, 2]);
    for (let round = 0; round < 2; round += 1) buffer.append(batch(Array.from({ length: 16_384 }, () => 'filler')));
    buffer.append(batch(['error 3']));
    const dropped = buffer.trimOldest(20_000);
    expect(dropped).toBeGreaterThan(0);
    expect(search.update(buffer, regex)).toEqual([buffer.length - 1]);
  });

  it('searches everything again for a new pattern, and finds nothing without one', () => {
    const buffer = new ExplorerBuffer();
    const search = new ExplorerSearch();
    buffer.append(batch(['alpha', 'beta', 'alphabet']));
    expect(search.update(buffer, /alpha/i)).toEqual([0, 2]);
    expect(search.update(buffer, /^beta$/i)).toEqual([1]);
    expect(search.update(buffer, null)).toEqual([]);
  });
});

describe('ExplorerSearch across scopes', () => {
  it('searches a new buffer afresh (another filter) even with the same pattern', () => {
    const search = new ExplorerSearch();
    const regex = /x/i;
    const first = new ExplorerBuffer();
    first.append(batch(['a', 'b', 'c', 'x']));
    expect(search.update(first, regex)).toEqual([3]);
    const second = new ExplorerBuffer();
    second.append(batch(['x', 'y']));
    expect(search.update(second, regex)).toEqual([0]);
  });
});
