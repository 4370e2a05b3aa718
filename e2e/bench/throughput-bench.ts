/**
 * Terminal output throughput: a command that prints a lot, run in a Berth terminal (from Enter until
 * its last line is in xterm) against the same command through `docker exec -t` with the CLI's output
 * thrown away, on the same engine in the same run. While the 48 MB `od` runs, the page's longest
 * main-thread task is recorded (PerformanceObserver 'longtask').
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { BUSYBOX_IMAGE, docker, uniqueName } from '../docker-cli.js';
import { openTerminalIn } from './bench-terminal.js';
import type { BenchRow } from './run-bench.js';
import { median, ms } from './stats.js';

const WORKLOADS = [
  { label: '`yes | head -n 2000000` (6 MB)', command: 'yes | head -n 2000000' },
  { label: '`od` of 12 MB (48 MB of text)', command: 'od /tmp/blob' },
];
const CLI_RUNS = 3;

function timeCliExec(container: string, command: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('docker', ['-H', process.env.BERTH_DOCKER_HOST!, 'exec', '-t', container, 'sh', '-c', command], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.resume(); // read and discard, as fast as the CLI delivers
    child.on('error', reject);
    child.on('close', () => resolve(performance.now() - started));
  });
}

async function timeInTerminal(page: Page, containerName: string, command: string): Promise<number> {
  const marker = randomBytes(4).toString('hex');
  const region = page.getByRole('region', { name: `Terminal for ${containerName}` });
  await region.click();
  await page.keyboard.type(`clear; ${command}; echo END""-${marker}`);
  const started = performance.now();
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    ([label, text]) => document.querySelector(`[aria-label="${label}"]`)?.textContent?.includes(text) ?? false,
    [`Terminal for ${containerName}`, `END-${marker}`] as const,
    { timeout: 600_000, polling: 'raf' },
  );
  return performance.now() - started;
}

export async function benchTerminalThroughput(page: Page): Promise<BenchRow[]> {
  const name = uniqueName('bench-out');
  await docker('run', '-d', '--name', name, BUSYBOX_IMAGE, 'sleep', '3600');
  await docker('exec', name, 'sh', '-c', 'head -c 12000000 /dev/urandom > /tmp/blob');
  await openTerminalIn(page, name);

  const rows: BenchRow[] = [];
  for (const workload of WORKLOADS) {
    const cli: number[] = [];
    for (let run = 0; run < CLI_RUNS; run += 1) cli.push(await timeCliExec(name, workload.command));
    await page.evaluate(`(() => {
      window.__longest = 0;
      window.__longObserver?.disconnect();
      window.__longObserver = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
      });
      window.__longObserver.observe({ type: 'longtask' });
    })()`);
    const berth = await timeInTerminal(page, name, workload.command);
    const longest = await page.evaluate<number>('window.__longest');
    const share = median(cli) / berth;
    rows.push({
      measure: `Terminal output, ${workload.label}`,
      berth: ms(berth),
      reference: `${ms(median(cli))} docker exec -t`,
      ratio: `${(share * 100).toFixed(0)}% of CLI speed`,
      goal: '≥ 90%',
    });
    if (workload.command.startsWith('od')) {
      rows.push({
        measure: 'Longest main-thread task while 48 MB stream through',
        berth: ms(longest),
        reference: '',
        ratio: '',
        goal: '≤ 100 ms',
      });
    }
  }
  await docker('rm', '-f', name);
  return rows;
}
