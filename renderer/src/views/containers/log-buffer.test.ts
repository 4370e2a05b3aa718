import { describe, expect, it } from 'vitest';
import type { LogBatch } from '../../../../app/contract/container-contract';
import { LogBuffer, LogSearch, skipSeen, splitMatches } from './log-buffer';

const time = (second: number, nanos = 0) =>
  `2026-01-01T00:00:${String(second).padStart(2, '0')}.${String(nanos).padStart(9, '0')}Z`;

function batch(
  texts: string[],
  times: string[] = texts.map((_, index) => time(index)),
  streams = 'o'.repeat(texts.length),
): LogBatch {
  return { streams, times, texts };
}

describe('LogBuffer', () => {
  it('appends and prepends, and finds every line by index', () => {
    const buffer = new LogBuffer();
    buffer.append(batch(['c', 'd'], [time(3), time(4)]));
    buffer.append(batch(['e'], [time(5)], 'e'));
    expect(buffer.prepend(batch(['a', 'b'], [time(1), time(2)]))).toBe(2);
    expect(buffer.length).toBe(5);
    expect([0, 1, 2, 3, 4].map((index) => buffer.line(index).text)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(buffer.line(4)).toEqual({ stream: 'stderr', time: time(5), text: 'e' });
  });

  it('keeps a million lines in few chunks and finds the last one', () => {
    const buffer = new LogBuffer();
    for (let start = 0; start < 1_000_000; start += 2_000) {
      const texts = Array.from({ length: 2_000 }, (_, index) => String(start + index + 1));
      buffer.append(
        batch(
          texts,
          texts.map(() => time(1)),
        ),
      );
    }
    expect(buffer.length).toBe(1_000_000);
    expect(buffer.line(999_999).text).toBe('1000000');
    expect(buffer.line(500_000).text).toBe('500001');
  });

  it('gives the cursor for older lines: the first time and how many lines share it, across chunks', () => {
    const buffer = new LogBuffer();
    expect(buffer.cursor()).toBeNull();
    buffer.append(batch(['x', 'y'], [time(1), time(1)]));
    buffer.prepend(batch(['w'], [time(1)]));
    expect(buffer.cursor()).toEqual({ time: time(1), shown: 3 });
    buffer.append(batch(['z'], [time(2)]));
    expect(buffer.lastTime()).toEqual({ time: time(2), count: 1 });
  });

  it('measures line density over what it holds', () => {
    const buffer = new LogBuffer();
    buffer.append(batch(['a', 'b', 'c', 'd'], [time(0), time(1), time(1), time(2)]));
    expect(buffer.density()).toBe(2);
  });

  it('searches case-insensitively, from a line on, up to a limit', () => {
    const buffer = new LogBuffer();
    buffer.append(batch(['Error one', 'fine', 'another error', 'ERROR']));
    expect(buffer.search('error')).toEqual([0, 2, 3]);
    expect(buffer.search('error', { from: 1 })).toEqual([2, 3]);
    expect(buffer.search('error', { to: 3 })).toEqual([0, 2]);
    expect(buffer.search('error', { limit: 2 })).toEqual([0, 2]);
    expect(buffer.search('')).toEqual([]);
  });

  it('drops the oldest chunks past a bound, never the newest', () => {
    const buffer = new LogBuffer();
    buffer.append(batch(Array.from({ length: 16_384 }, () => 'old')));
    buffer.append(batch(['new']));
    buffer.reachedStart = true;
    expect(buffer.trimOldest(10)).toBe(16_384);
    expect(buffer.length).toBe(1);
    expect(buffer.line(0).text).toBe('new');
    expect(buffer.reachedStart).toBe(false);
  });
});

describe('LogSearch', () => {
  it('keeps results right as lines are appended and prepended, without searching everything again', () => {
    const buffer = new LogBuffer();
    const search = new LogSearch();
    buffer.append(batch(['hit 1', 'miss']));
    expect(search.update(buffer, 'hit')).toEqual([0]);
    buffer.append(batch(['hit 2']));
    expect(search.update(buffer, 'hit')).toEqual([0, 2]);
    buffer.prepend(batch(['hit 0', 'miss', 'miss']));
    expect(search.update(buffer, 'hit')).toEqual([0, 3, 5]);
    expect(search.update(buffer, 'miss')).toEqual([1, 2, 4]);
    buffer.clear();
    expect(search.update(buffer, 'miss')).toEqual([]);
  });
});

describe('splitMatches', () => {
  it('marks each occurrence, keeping the original case', () => {
    expect(splitMatches('Error: error!', 'ERROR')).toEqual([
      { text: 'Error', match: true },
      { text: ': ', match: false },
      { text: 'error', match: true },
      { text: '!', match: false },
    ]);
    expect(splitMatches('plain', '')).toEqual([{ text: 'plain', match: false }]);
  });
});

describe('skipSeen', () => {
  it('drops the lines a resumed stream repeats, and only those', () => {
    const resumed = batch(['old', 'seen', 'new at same time', 'newer'], [time(1), time(2), time(2), time(3)]);
    expect(skipSeen(resumed, { time: time(2), count: 1 }).texts).toEqual(['new at same time', 'newer']);
    expect(skipSeen(resumed, null)).toBe(resumed);
  });
});
