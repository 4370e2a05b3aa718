/**
 * One reading of the engine's stats stream turned into the numbers a person reads, computed the way
 * `docker stats` computes them (cli/command/container/stats_helpers.go), for cgroup v1 and v2.
 */
import type { StatsSample } from './container-types.js';

interface CpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null };
  system_cpu_usage?: number;
  online_cpus?: number;
}

export interface RawStats {
  read?: string;
  pids_stats?: { current?: number };
  cpu_stats?: CpuStats;
  precpu_stats?: CpuStats;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  blkio_stats?: { io_service_bytes_recursive?: Array<{ op?: string; value?: number }> | null };
}

/** The engine reports this time for a container that is not running. */
const NEVER = /^0001-01-01/;

export function cpuPercent(stats: RawStats): number | null {
  const now = stats.cpu_stats;
  const before = stats.precpu_stats;
  if (!now || !before?.system_cpu_usage) return null;
  const cpuDelta = (now.cpu_usage?.total_usage ?? 0) - (before.cpu_usage?.total_usage ?? 0);
  const systemDelta = (now.system_cpu_usage ?? 0) - before.system_cpu_usage;
  if (systemDelta <= 0) return null;
  if (cpuDelta <= 0) return 0;
  return (cpuDelta / systemDelta) * onlineCpus(stats) * 100;
}

export function onlineCpus(stats: RawStats): number {
  return stats.cpu_stats?.online_cpus || stats.cpu_stats?.cpu_usage?.percpu_usage?.length || 1;
}

/** Usage without the page cache the kernel can drop: `total_inactive_file` (v1) or `inactive_file` (v2). */
export function memoryUsage(stats: RawStats): number {
  const usage = stats.memory_stats?.usage ?? 0;
  const detail = stats.memory_stats?.stats ?? {};
  const inactive = detail.total_inactive_file ?? detail.inactive_file;
  return inactive !== undefined && inactive < usage ? usage - inactive : usage;
}

export function networkTotals(stats: RawStats): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const network of Object.values(stats.networks ?? {})) {
    rx += network.rx_bytes ?? 0;
    tx += network.tx_bytes ?? 0;
  }
  return { rx, tx };
}

export function blockTotals(stats: RawStats): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const entry of stats.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = entry.op?.toLowerCase();
    if (op === 'read') read += entry.value ?? 0;
    else if (op === 'write') write += entry.value ?? 0;
  }
  return { read, write };
}

/** Null for the readings a stopped container yields (all zero, time 0001-01-01). */
export function toStatsSample(id: string, stats: RawStats): StatsSample | null {
  if (!stats.read || NEVER.test(stats.read)) return null;
  const network = networkTotals(stats);
  const block = blockTotals(stats);
  return {
    id,
    time: Date.parse(stats.read),
    cpuPercent: cpuPercent(stats),
    onlineCpus: onlineCpus(stats),
    memoryUsage: memoryUsage(stats),
    memoryLimit: stats.memory_stats?.limit ?? 0,
    networkRx: network.rx,
    networkTx: network.tx,
    blockRead: block.read,
    blockWrite: block.write,
    pids: stats.pids_stats?.current ?? 0,
  };
}
