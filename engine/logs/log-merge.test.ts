import { describe, expect, it } from 'vitest';
import type { LogBatch } from '../containers/container-types.js';
import { LogMerger, skipSeenLines, timeKey } from './log-merge.js';

const at = (second: number, fraction = '') => `2026-12-07T10:00:${String(second).padStart(2, '0')}${fraction}Z`;
const batch = (lines: Array<[string, string]>, stream = 'o'): LogBatch => ({
  streams: stream.repeat(lines.length),
  times: lines.map(([time]) => time),
  texts: lines.map(([, text]) => text),
});

describe('timeKey', () => {
  it('sorts a shorter fraction the way the time does (the engine cuts trailing zeros)', () => {
    expect(timeKey(at(5, '.1')) < timeKey(at(5, '.12'))).toBe(true);
    expect(at(5, '.1') < at(5, '.12')).toBe(false); // the plain strings would not
    expect(timeKey(at(5))).toBe('2026-12-07T10:00:05.000000000Z');
  });

  it('turns an offset into UTC, and gives a line without a time the lowest key', () => {
    expect(timeKey('2026-12-07T11:00:05.5+01:00')).toBe('2026-12-07T10:00:05.500000000Z');
    expect(timeKey('')).toBe('');
  });
});

describe('LogMerger', () => {
  it('interleaves the lines of three containers by time, whatever order their batches come in', () => {
    const merger = new LogMerger();
    [0, 1, 2].forEach((source) => merger.join(source));
    merger.add(
      2,
      batch([
        [at(2), 'c2'],
        [at(5), 'c5'],
      ]),
    );
    merger.add(
      0,
      batch([
        [at(1), 'a1'],
        [at(4), 'a4'],
        [at(7), 'a7'],
      ]),
    );
    // Source 1 has said nothing yet: nothing can go, it may still have the earliest line.
    expect(merger.take().texts).toEqual([]);
    expect(merger.waitingOn()).toEqual([1]);
    merger.add(1, batch([[at(3), 'b3']]));
    // Up to b3 (the watermark: the earliest of the sources' latest lines).
    expect(merger.take().texts).toEqual(['a1', 'c2', 'b3']);
    merger.finish(1);
    expect(merger.take().texts).toEqual(['a4', 'c5']);
    merger.finish(0);
    merger.finish(2);
    const rest = merger.take();
    expect(rest.texts).toEqual(['a7']);
    expect(rest.sources).toEqual([0]);
    expect(merger.size).toBe(0);
  });

  it('keeps the sources, streams and times with their lines', () => {
    const merger = new LogMerger();
    merger.add(
      4,
      batch(
        [
          [at(1), 'err'],
          [at(3), 'err2'],
        ],
        'e',
      ),
    );
    merger.add(9, batch([[at(2), 'out']], 'o'));
    const out = merger.take({ flush: true });
    expect(out).toEqual({
      sources: [4, 9, 4],
      streams: 'eoe',
      times: [at(1), at(2), at(3)],
      texts: ['err', 'out', 'err2'],
    });
  });

  it("puts equal times in the order of the source keys, and keeps each source's own order", () => {
    const merger = new LogMerger();
    merger.add(
      1,
      batch([
        [at(1), 'b-first'],
        [at(1), 'b-second'],
      ]),
    );
    merger.add(
      0,
      batch([
        [at(1), 'a-first'],
        [at(1), 'a-second'],
      ]),
    );
    expect(merger.take({ flush: true }).texts).toEqual(['a-first', 'a-second', 'b-first', 'b-second']);
  });

  it('sorts by the real time when fractions have different lengths', () => {
    const merger = new LogMerger();
    merger.add(0, batch([[at(1, '.5'), 'half']]));
    merger.add(1, batch([[at(1, '.25'), 'quarter']]));
    expect(merger.take({ flush: true }).texts).toEqual(['quarter', 'half']);
  });

  it('hands on at most about maxChars per take, and the rest on the next', () => {
    const merger = new LogMerger();
    const lines = Array.from({ length: 100 }, (_, index): [string, string] => [
      at(1, `.${String(index).padStart(3, '0')}`),
      'x'.repeat(60),
    ]);
    merger.add(0, batch(lines));
    const first = merger.take({ flush: true, maxChars: 1_000 });
    expect(first.texts.length).toBe(10);
    expect(merger.size).toBe(90);
    let rest = 0;
    for (
      let part = merger.take({ flush: true, maxChars: 1_000 });
      part.texts.length > 0;
      part = merger.take({ flush: true, maxChars: 1_000 })
    ) {
      rest += part.texts.length;
    }
    expect(rest).toBe(90);
  });

  it('counts what each source holds, so a reader that is ahead can wait', () => {
    const merger = new LogMerger();
    merger.join(0);
    merger.join(1);
    merger.add(
      0,
      batch([
        [at(1), 'a'],
        [at(2), 'b'],
      ]),
    );
    expect(merger.heldBy(0)).toBe(2);
    expect(merger.heldBy(1)).toBe(0);
    merger.add(1, batch([[at(1, '.5'), 'c']]));
    merger.take();
    expect(merger.heldBy(0)).toBe(1);
    expect(merger.size).toBe(1);
  });
});

describe('skipSeenLines', () => {
  const lines = batch([
    [at(1), 'old'],
    [at(2), 'seen'],
    [at(2), 'new-at-2'],
    [at(3), 'new'],
  ]);

  it('drops lines before the last time and as many at it as were seen', () => {
    expect(skipSeenLines(lines, { key: timeKey(at(2)), count: 1 }).texts).toEqual(['new-at-2', 'new']);
    expect(skipSeenLines(lines, { key: timeKey(at(2)), count: 2 }).texts).toEqual(['new']);
  });

  it('keeps everything without a last line', () => {
    expect(skipSeenLines(lines, null)).toBe(lines);
  });
});
