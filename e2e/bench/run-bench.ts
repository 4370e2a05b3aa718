/**
 * `npm run bench`: Berth measured side by side with a reference on the same engine, in one run.
 * Prints a table; the README's performance table is copied from it. Not a test: nothing here passes
 * or fails, it reports.
 */
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../playwright.config.js';
import startBerthUnderTest from '../berth-under-test.js';
import { benchContainerList } from './container-list-bench.js';
import { benchEventLatency } from './event-latency-bench.js';
import { benchKeystrokeEcho } from './keystroke-bench.js';
import { benchLogs } from './logs-bench.js';
import { benchLogsExplorer } from './logs-explorer-bench.js';
import { benchImagePull } from './pull-bench.js';
import { benchTerminalThroughput } from './throughput-bench.js';
import type { BenchRow } from './bench-row.js';

async function openBerth(page: Page): Promise<void> {
  await page.goto(process.env.BERTH_URL!);
  await page.getByRole('status', { name: 'Engine status' }).filter({ hasText: 'Engine running' }).waitFor({ timeout: 20_000 });
}

function printTable(rows: BenchRow[]): void {
  const header: BenchRow = { measure: 'Measure', berth: 'Berth', reference: 'Reference', ratio: 'Ratio', goal: 'Goal' };
  const all = [header, ...rows];
  const widths = (Object.keys(header) as Array<keyof BenchRow>).map((key) => Math.max(...all.map((row) => row[key].length)));
  const line = (row: BenchRow) =>
    `| ${(Object.keys(header) as Array<keyof BenchRow>).map((key, index) => row[key].padEnd(widths[index]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

/**
 * The engine VM's benchmarks need no UI: no Berth under test, no browser (each boots its own VM). Each is
 * run alone with BENCH_ONLY=NAME; `npm run bench` without it runs the UI rows below.
 */
type VmBench = () => Promise<{ rows: BenchRow[]; notes: string[] }>;
const VM_BENCHES: Record<string, { title: string; run: VmBench }> = {
  vm: { title: 'engine VM (QEMU)', run: async () => (await import('./vm-bench.js')).benchVm() },
  'vm-starts': { title: 'engine VM (QEMU)', run: async () => (await import('./vm-bench.js')).benchVmStarts() },
  // Boot snapshots: on a newer QEMU (vm-snapshot-bench.ts).
  snapshot: {
    title: 'engine VM started from its boot snapshot (QEMU)',
    run: async () => (await import('./vm-snapshot-bench.js')).benchSnapshotStarts(),
  },
  // The VM's Resource Saver (vm-rest-bench.ts).
  rest: { title: 'engine VM at rest (QEMU)', run: async () => (await import('./vm-rest-bench.js')).benchRest() },
};

const vmBench = VM_BENCHES[process.env.BENCH_ONLY ?? ''];
if (vmBench) {
  console.log(`Benchmark: ${vmBench.title}…`);
  const { rows, notes } = await vmBench.run();
  console.log('');
  printTable(rows);
  for (const note of notes) console.log(note);
  process.exit(0);
}

const stop = await startBerthUnderTest();
const browser = await chromium.launch({ executablePath: process.env.BERTH_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await openBerth(page);
  const rows: BenchRow[] = [];
  if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === 'keys') {
    console.log('Benchmark: terminal keystroke echo…');
    rows.push(...(await benchKeystrokeEcho(page)));
  }
  if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === 'throughput') {
    console.log('Benchmark: terminal output throughput…');
    await page.goto(process.env.BERTH_URL!);
    rows.push(...(await benchTerminalThroughput(page)));
    await page.goto(process.env.BERTH_URL!);
  }
  if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === 'events') {
    console.log('Benchmark: engine event to UI…');
    rows.push(...(await benchEventLatency(page)));
  }
  if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === 'pull') {
    console.log('Benchmark: image pull from a local registry…');
    await page.goto(process.env.BERTH_URL!);
    rows.push(...(await benchImagePull(page)));
  }
  if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === 'logs') {
    console.log('Benchmark: container logs (open a million lines, follow)…');
    rows.push(...(await benchLogs(page)));
  }
  if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === 'explorer') {
    console.log('Benchmark: logs explorer (20 containers × 50,000 lines)…');
    rows.push(...(await benchLogsExplorer(page)));
  }
  if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === 'list') {
    console.log('Benchmark: 1,000 containers in the list…');
    rows.push(...(await benchContainerList(browser)));
  }
  console.log('');
  printTable(rows);
} finally {
  await browser.close();
  await stop();
}
