import { describe, expect, it } from 'vitest';
import { blockTotals, cpuPercent, memoryUsage, networkTotals, toStatsSample, type RawStats } from './container-stats-math.js';

const reading = (overrides: Partial<RawStats> = {}): RawStats => ({
  read: '2026-11-23T23:55:12.298653025Z',
  pids_stats: { current: 3 },
  cpu_stats: { cpu_usage: { total_usage: 3_000_000_000 }, system_cpu_usage: 120_000_000_000, online_cpus: 2 },
  precpu_stats: { cpu_usage: { total_usage: 2_000_000_000 }, system_cpu_usage: 118_000_000_000, online_cpus: 2 },
  memory_stats: { usage: 50_000_000, limit: 2_000_000_000, stats: { total_inactive_file: 10_000_000 } },
  networks: { eth0: { rx_bytes: 1000, tx_bytes: 200 }, eth1: { rx_bytes: 24, tx_bytes: 6 } },
  blkio_stats: {
    io_service_bytes_recursive: [
      { op: 'Read', value: 4096 },
      { op: 'Write', value: 8192 },
      { op: 'read', value: 4 },
      { op: 'Total', value: 12292 },
    ],
  },
  ...overrides,
});

describe('docker stats arithmetic', () => {
  it('CPU %: container delta over system delta, times the online CPUs', () => {
    // 1 s of CPU over 2 s of all-CPU time on 2 CPUs: one CPU fully busy = 100 %.
    expect(cpuPercent(reading())).toBeCloseTo(100);
  });

  it('CPU % is unknown on the first reading (no previous one) and 0 when idle', () => {
    expect(cpuPercent(reading({ precpu_stats: {} }))).toBeNull();
    const idle = reading();
    idle.cpu_stats!.cpu_usage!.total_usage = 2_000_000_000;
    expect(cpuPercent(idle)).toBe(0);
  });

  it('falls back to the per-CPU list when online_cpus is missing', () => {
    const stats = reading();
    stats.cpu_stats = {
      cpu_usage: { total_usage: 3_000_000_000, percpu_usage: [1, 1, 1, 1] },
      system_cpu_usage: 120_000_000_000,
    };
    expect(cpuPercent(stats)).toBeCloseTo(200);
  });

  it('memory leaves out inactive page cache (cgroup v1 and v2 names)', () => {
    expect(memoryUsage(reading())).toBe(40_000_000);
    expect(memoryUsage(reading({ memory_stats: { usage: 100, stats: { inactive_file: 30 } } }))).toBe(70);
    expect(memoryUsage(reading({ memory_stats: { usage: 100, stats: {} } }))).toBe(100);
  });

  it('sums the networks and the block devices by direction', () => {
    expect(networkTotals(reading())).toEqual({ rx: 1024, tx: 206 });
    expect(blockTotals(reading())).toEqual({ read: 4100, write: 8192 });
    expect(blockTotals(reading({ blkio_stats: { io_service_bytes_recursive: null } }))).toEqual({ read: 0, write: 0 });
  });

  it('makes a sample, and none for a stopped container’s empty reading', () => {
    expect(toStatsSample('c1', reading())).toEqual({
      id: 'c1',
      time: Date.parse('2026-11-23T23:55:12.298Z'),
      cpuPercent: expect.closeTo(100) as number,
      onlineCpus: 2,
      memoryUsage: 40_000_000,
      memoryLimit: 2_000_000_000,
      networkRx: 1024,
      networkTx: 206,
      blockRead: 4100,
      blockWrite: 8192,
      pids: 3,
    });
    expect(toStatsSample('c1', reading({ read: '0001-01-01T00:00:00Z' }))).toBeNull();
  });
});
