/** What one QEMU process costs the host: resident memory and CPU time, read from /proc (Linux). */
import fs from 'node:fs';
import os from 'node:os';

/** Resident set size in MiB (VmRSS). */
export function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) / 1024;
}

/** User plus system CPU time in seconds (utime + stime of /proc/PID/stat). */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces: fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100; // USER_HZ on Linux
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Share of one core the process used over `ms`, sampled at both ends (0.05 = 5%). */
export async function cpuShare(pid: number, ms: number): Promise<number> {
  const before = cpuSeconds(pid);
  const began = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (cpuSeconds(pid) - before) / ((performance.now() - began) / 1000);
}

/** The machine's 1-minute load average, to report beside a figure. */
export function loadAverage(): number {
  return os.loadavg()[0]!;
}
