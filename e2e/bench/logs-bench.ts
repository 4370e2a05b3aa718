/**
 * Container logs in Berth next to the docker CLI, on the same engine in the same run:
 * - a 1,000,000-line log opened from the list until its last line is visible (medians of 5 fresh page
 *   loads), against `docker logs` reading it into /dev/null; then an older page on scroll up, and the
 *   frame times while scrolling through what is loaded;
 * - following a container that prints 1,000,000 lines as fast as it can, from the moment it starts
 *   printing until its last line is visible, against `docker logs -f` into /dev/null (until the CLI has
 *   read the last line).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { BUSYBOX_IMAGE, docker, uniqueName } from '../docker-cli.js';
import type { BenchRow } from './bench-row.js';
import { median, ms, percentile } from './stats.js';

const LINES = 1_000_000;
const OPEN_RUNS = 5;
const IDLE = 'while true; do sleep 1 & wait; done';

async function waitForLastLine(name: string, last: string): Promise<void> {
  const deadline = Date.now() + 300_000;
  while ((await docker('logs', '--tail', '1', name)) !== last) {
    if (Date.now() > deadline) throw new Error(`${name} did not log ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function timeCli(args: string[], until?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('docker', ['-H', process.env.BERTH_DOCKER_HOST!, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (!until) return;
      tail = (tail + chunk.toString('latin1')).slice(-200);
      if (tail.includes(until)) {
        resolve(performance.now() - started);
        child.kill();
      }
    });
    child.on('error', reject);
    child.on('close', () => resolve(performance.now() - started));
  });
}

/**
 * Waits, checking every frame (a locator's waitFor polls at growing intervals, up to 500 ms apart), until
 * the log of `name` shows a line whose text is exactly `text`.
 */
async function waitForLine(page: Page, name: string, text: string, timeout: number): Promise<void> {
  await page.waitForFunction(
    ([label, wanted]) => {
      const rows = document.querySelector(`[aria-label="${label}"]`)?.firstElementChild?.children ?? [];
      return Array.from(rows).some((row) => row.lastElementChild?.textContent === wanted);
    },
    [`Log of ${name}`, text] as const,
    { timeout, polling: 'raf' },
  );
}

async function openLog(page: Page, name: string, lastLine: string): Promise<number> {
  await page.goto(new URL('/', process.env.BERTH_URL).toString());
  const details = page.getByRole('button', { name: `Show details of ${name}`, exact: true });
  await details.waitFor({ timeout: 30_000 });
  const started = performance.now();
  await details.click();
  await waitForLine(page, name, lastLine, 60_000);
  return performance.now() - started;
}

/** Scrolls the log up through what is loaded, one step a frame, and returns the frame intervals. */
async function scrollFrames(page: Page, name: string): Promise<number[]> {
  return page.evaluate(async (label) => {
    const element = document.querySelector(`[aria-label="${label}"]`)!;
    const intervals: number[] = [];
    let last = performance.now();
    for (let frame = 0; frame < 240; frame += 1) {
      element.scrollTop = Math.max(0, element.scrollTop - 600);
      await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
      const now = performance.now();
      intervals.push(now - last);
      last = now;
    }
    return intervals;
  }, `Log of ${name}`);
}

export async function benchLogs(page: Page): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const big = uniqueName('bench-log');
  await docker('run', '-d', '--name', big, BUSYBOX_IMAGE, 'sh', '-c', `trap "exit 0" TERM; seq 1 ${LINES}; ${IDLE}`);
  await waitForLastLine(big, String(LINES));
  const cliFull = await timeCli(['logs', big]);
  const cliTail: number[] = [];
  for (let run = 0; run < OPEN_RUNS; run += 1) cliTail.push(await timeCli(['logs', '--tail', '5000', big]));

  const opens: number[] = [];
  for (let run = 0; run < OPEN_RUNS; run += 1) opens.push(await openLog(page, big, String(LINES)));
  rows.push({
    measure: `Open a ${LINES.toLocaleString('en-US')}-line log until its last line is visible, median of ${OPEN_RUNS}`,
    berth: ms(median(opens)),
    reference: `${ms(cliFull)} docker logs (all); ${ms(median(cliTail))} --tail 5000`,
    ratio: `${(cliFull / median(opens)).toFixed(0)}× faster`,
    goal: '≤ 1 s',
  });

  const status = page.getByRole('status', { name: 'Log status' });
  const count = async () => Number(((await status.textContent()) ?? '').replace(/,/g, '').match(/^(\d+) lines/)?.[1] ?? 0);
  const before = await count();
  const started = performance.now();
  await page.getByRole('button', { name: 'Load older lines' }).click();
  await page.waitForFunction(
    ([label, lines]) => {
      const text = document.querySelector(`[aria-label="${label}"]`)?.textContent ?? '';
      return Number(text.replace(/,/g, '').match(/^(\d+) lines/)?.[1] ?? 0) > lines;
    },
    ['Log status', before] as const,
    { timeout: 120_000, polling: 'raf' },
  );
  rows.push({
    measure: `Older page on scroll up (+${((await count()) - before).toLocaleString('en-US')} lines)`,
    berth: ms(performance.now() - started),
    reference: '',
    ratio: '',
    goal: '',
  });
  const frames = await scrollFrames(page, big);
  rows.push({
    measure: 'Scrolling the loaded log: frame interval p50 / p95 / max (240 frames)',
    berth: `${ms(median(frames))} / ${ms(percentile(frames, 95))} / ${ms(Math.max(...frames))}`,
    reference: '',
    ratio: '',
    goal: 'p95 ≤ 33 ms',
  });
  await docker('rm', '-f', big);

  // Follow: one container per reader, each printing only once its reader is there.
  const marker = `END-${randomBytes(4).toString('hex')}`;
  const script = `trap "exit 0" TERM; echo ready; while [ ! -e /tmp/go ]; do sleep 0.05; done; seq 1 ${LINES}; echo ${marker}; ${IDLE}`;
  const cliContainer = uniqueName('bench-follow-cli');
  await docker('run', '-d', '--name', cliContainer, BUSYBOX_IMAGE, 'sh', '-c', script);
  await waitForLastLine(cliContainer, 'ready');
  const cliRun = timeCli(['logs', '-f', cliContainer], marker);
  await docker('exec', cliContainer, 'touch', '/tmp/go');
  const cliMs = await cliRun;

  const berthContainer = uniqueName('bench-follow');
  await docker('run', '-d', '--name', berthContainer, BUSYBOX_IMAGE, 'sh', '-c', script);
  await waitForLastLine(berthContainer, 'ready');
  await page.goto(new URL('/', process.env.BERTH_URL).toString());
  await page.getByRole('button', { name: `Show details of ${berthContainer}`, exact: true }).click();
  await waitForLine(page, berthContainer, 'ready', 30_000);
  const followStarted = performance.now();
  await docker('exec', berthContainer, 'touch', '/tmp/go');
  await waitForLine(page, berthContainer, marker, 300_000);
  const berthMs = performance.now() - followStarted;
  await docker('rm', '-f', cliContainer, berthContainer);

  const perSecond = (elapsed: number) => `${Math.round((LINES / elapsed) * 1000).toLocaleString('en-US')} lines/s`;
  rows.push({
    measure: `Follow ${LINES.toLocaleString('en-US')} new lines until the last is visible`,
    berth: `${perSecond(berthMs)} (${ms(berthMs)})`,
    reference: `${perSecond(cliMs)} (${ms(cliMs)}) docker logs -f`,
    ratio: `${((cliMs / berthMs) * 100).toFixed(0)}% of CLI`,
    goal: '',
  });
  return rows;
}
