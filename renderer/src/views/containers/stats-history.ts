/**
 * The last few minutes of a container's readings, as the charts draw them: CPU %, memory, and network
 * and disk rates (bytes per second between two readings; the engine reports running totals).
 */
import type { StatsSample } from '../../../../app/contract/container-contract';

/** Readings kept: five minutes at one a second. */
export const HISTORY_LENGTH = 300;

export interface StatsSeries {
  /** Seconds since the epoch (uPlot's x axis). */
  time: number[];
  cpu: Array<number | null>;
  memory: number[];
  memoryLimit: number[];
  networkRx: Array<number | null>;
  networkTx: Array<number | null>;
  blockRead: Array<number | null>;
  blockWrite: Array<number | null>;
}

export function emptySeries(): StatsSeries {
  return { time: [], cpu: [], memory: [], memoryLimit: [], networkRx: [], networkTx: [], blockRead: [], blockWrite: [] };
}

/** Bytes per second from two running totals; null across a counter reset (a restart) or no time. */
export function rate(previousTotal: number, total: number, seconds: number): number | null {
  if (seconds <= 0 || total < previousTotal) return null;
  return (total - previousTotal) / seconds;
}

/** The series with one more reading, the oldest dropped past `limit`. Returns a new object. */
export function addReading(
  series: StatsSeries,
  previous: StatsSample | null,
  sample: StatsSample,
  limit = HISTORY_LENGTH,
): StatsSeries {
  const seconds = previous ? (sample.time - previous.time) / 1000 : 0;
  const next = (values: Array<number | null>, value: number | null) => [...values.slice(values.length >= limit ? 1 : 0), value];
  const nextNumber = (values: number[], value: number) => [...values.slice(values.length >= limit ? 1 : 0), value];
  return {
    time: nextNumber(series.time, sample.time / 1000),
    cpu: next(series.cpu, sample.cpuPercent),
    memory: nextNumber(series.memory, sample.memoryUsage),
    memoryLimit: nextNumber(series.memoryLimit, sample.memoryLimit),
    networkRx: next(series.networkRx, previous ? rate(previous.networkRx, sample.networkRx, seconds) : null),
    networkTx: next(series.networkTx, previous ? rate(previous.networkTx, sample.networkTx, seconds) : null),
    blockRead: next(series.blockRead, previous ? rate(previous.blockRead, sample.blockRead, seconds) : null),
    blockWrite: next(series.blockWrite, previous ? rate(previous.blockWrite, sample.blockWrite, seconds) : null),
  };
}

export function formatPercent(value: number | null): string {
  return value === null ? '–' : `${value.toFixed(value < 10 ? 1 : 0)} %`;
}
