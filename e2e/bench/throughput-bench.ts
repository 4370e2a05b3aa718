/**
 * Terminal output throughput: a command that prints a lot, run in a Berth terminal (from Enter until
 * its last line is in the terminal's DOM) against the same command through `docker exec -t` with the
 * CLI's output thrown away, on the same engine in the same run. While the 48 MB `od` runs, the page's
 * longest main-thread task is recorded (PerformanceObserver 'longtask').
 *
 * The two are taken in alternation (CLI, Berth, CLI, Berth, …) and compared by their medians: on a
 * shared machine the load drifts, and a drift then weighs on both sides alike instead of on whichever
 * ran last. The page is watched with a MutationObserver (it checks when the terminal repaints), not
 * polled every animation frame, so the measurement adds no work of its own to the stream. And the
 * page is not one of Playwright's: Playwright would have Chromium copy every byte of the stream to
 * it as DevTools events (bare-page.ts says what that cost), which no user's Berth pays.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { BUSYBOX_IMAGE, docker, uniqueName } from '../docker-cli.js';
import { CHROMIUM_ARGS } from '../playwright.config.js';
import { launchWithDevToolsPort, openBarePage, waitInPage, type BarePage } from './bare-page.js';
import type { BenchRow } from './bench-row.js';
import { median, ms } from './stats.js';

const WORKLOADS = [
  { label: '`yes | head -n 2000000` (6 MB)', command: 'yes | head -n 2000000' },
  { label: '`od` of 12 MB (48 MB of text)', command: 'od /tmp/blob' },
];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

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

const terminalOf = (containerName: string) => `document.querySelector('[aria-label="Terminal for ${containerName}"]')`;

/** Opens a terminal in the container from its row, as a person would, and waits for its shell. */
async function openTerminal(page: BarePage, containerName: string): Promise<void> {
  const button = `document.querySelector('[aria-label="Open terminal in ${containerName}"]')`;
  await waitInPage(
    page,
    `document.querySelector('[aria-label="Engine status"]')?.textContent.includes('Engine running')`,
    'the engine',
  );
  await waitInPage(page, button, `the row of ${containerName}`);
  await page.evaluate(`${button}.click()`);
  await waitInPage(
    page,
    `[...document.querySelectorAll('[role=status]')].some((status) => status.textContent.startsWith('Connected: '))`,
    'the shell',
  );
}

async function timeInTerminal(page: BarePage, containerName: string, command: string): Promise<number> {
  const marker = randomBytes(4).toString('hex');
  await page.evaluate(`${terminalOf(containerName)}.querySelector('textarea').focus()`);
  await page.type(`clear; ${command}; echo END""-${marker}`);
  // Armed before Enter (the page takes the two in order); a string, not a function: tsx's name-keeping helpers do not exist inside the page.
  const ended = page.evaluate(`new Promise((resolve) => {
    const host = ${terminalOf(containerName)};
    const observer = new MutationObserver(() => {
      if (host.textContent.includes('END-${marker}')) {
        observer.disconnect();
        resolve(true);
      }
    });
    observer.observe(host, { childList: true, subtree: true, characterData: true });
  })`);
  const started = performance.now();
  await page.pressEnter();
  await ended;
  return performance.now() - started;
}

async function watchLongTasks(page: BarePage): Promise<void> {
  await page.evaluate(`(() => {
    window.__longest = 0;
    window.__longObserver?.disconnect();
    window.__longObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
    });
    window.__longObserver.observe({ type: 'longtask' });
  })()`);
}

export async function benchTerminalThroughput(page: Page): Promise<BenchRow[]> {
  const name = uniqueName('bench-out');
  await docker('run', '-d', '--name', name, BUSYBOX_IMAGE, 'sleep', '3600');
  await docker('exec', name, 'sh', '-c', 'head -c 12000000 /dev/urandom > /tmp/blob');
  // The Playwright page rests meanwhile (an open Berth would follow the engine's exec events).
  await page.goto('about:blank');
  const { browser, port } = await launchWithDevToolsPort(CHROMIUM_ARGS);
  const terminal = await openBarePage(port, process.env.BERTH_URL!, page.viewportSize() ?? { width: 1280, height: 800 });
  try {
    await openTerminal(terminal, name);
    return await measure(terminal, name);
  } finally {
    await terminal.close();
    await browser.close();
    await docker('rm', '-f', name);
  }
}

async function measure(page: BarePage, name: string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const workload of WORKLOADS) {
    const cli: number[] = [];
    const berth: number[] = [];
    let longest = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      cli.push(await timeCliExec(name, workload.command));
      await watchLongTasks(page);
      berth.push(await timeInTerminal(page, name, workload.command));
      longest = Math.max(longest, await page.evaluate<number>('window.__longest'));
    }
    const share = median(cli) / median(berth);
    const each = berth.map((time, index) => `${((cli[index]! / time) * 100).toFixed(0)}%`).join(' ');
    console.log(
      `  ${workload.command}: CLI ${cli.map(ms).join(', ')}; Berth ${berth.map(ms).join(', ')} (each round: ${each}; load average ${loadavg()[0]!.toFixed(1)})`,
    );
    rows.push({
      measure: `Terminal output, ${workload.label}`,
      berth: ms(median(berth)),
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
  return rows;
}
