import { describe, expect, it } from 'vitest';
import type { StatsSample } from '../../../../app/contract/container-contract';
import { addReading, emptySeries, formatPercent, rate } from './stats-history';

const sample = (second: number, overrides: Partial<StatsSample> = {}): StatsSample => ({
  id: 'c',
  time: second * 1000,
  cpuPercent: 50,
  onlineCpus: 2,
  memoryUsage: 1000,
  memoryLimit: 4000,
  networkRx: second * 100,
  networkTx: second * 10,
  blockRead: 0,
  blockWrite: second * 2048,
  pids: 1,
  ...overrides,
});

describe('stats history', () => {
  it('turns running totals into rates per second', () => {
    let series = addReading(emptySeries(), null, sample(10));
    series = addReading(series, sample(10), sample(12));
    expect(series.time).toEqual([10, 12]);
    expect(series.networkRx).toEqual([null, 100]);
    expect(series.networkTx).toEqual([null, 10]);
    expect(series.blockWrite).toEqual([null, 2048]);
    expect(series.memoryLimit).toEqual([4000, 4000]);
  });

  it('has no rate across a counter reset or without elapsed time', () => {
    expect(rate(500, 100, 1)).toBeNull();
    expect(rate(100, 200, 0)).toBeNull();
    expect(rate(100, 300, 2)).toBe(100);
  });

  it('keeps only the newest readings', () => {
    let series = emptySeries();
    let previous: StatsSample | null = null;
    for (let second = 1; second <= 5; second += 1) {
      series = addReading(series, previous, sample(second), 3);
      previous = sample(second);
    }
    expect(series.time).toEqual([3, 4, 5]);
    expect(series.cpu).toHaveLength(3);
  });

  it('formats percentages', () => {
    expect(formatPercent(null)).toBe('–');
    expect(formatPercent(3.14159)).toBe('3.1 %');
    expect(formatPercent(123.4)).toBe('123 %');
  });
});
