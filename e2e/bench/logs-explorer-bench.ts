/**
 * The logs explorer with 20 containers × 50,000 lines, against the docker CLI on the same engine in
 * the same run:
 * - opening the Logs view (50,000 lines per container, one compose project) until the last line by
 *   time is visible, against `docker logs -t --tail 50000` of the 20 containers at once into memory;
 * - a regular-expression search over the million lines until "1 of N" shows, against the same
 *   expression over the same lines in Node (no page, no DOM);
 * - the page's JS heap with the million lines held.
 */
import { spawn } from 'node:child_process';
import type { Page } from 'playwright-core';
import { BUSYBOX_IMAGE, docker, uniqueName } from '../docker-cli.js';
import type { BenchRow } from './bench-row.js';
import { median, ms } from './stats.js';

const CONTAINERS = 20;
const LINES = 50_000;
const RUNS = 3;
const SEARCH = 'c1[27] line 4999\\d$';

/** `docker logs -t --tail N` of every container at once; resolves with the time and the lines read. */
function cliLogs(names: string[]): Promise<{ elapsed: number; lines: string[] }> {
  const started = performance.now();
  return Promise.all(
    names.map(
      (name) =>
        new Promise<string>((resolve, reject) => {
          const child = spawn('docker', ['-H', process.env.BERTH_DOCKER_HOST!, 'logs', '-t', '--tail', String(LINES), name], {
            stdio: ['ignore', 'pipe', 'ignore'],
          });
          const chunks: Buffer[] = [];
          child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
          child.on('error', reject);
          child.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
        }),
    ),
  ).then((outputs) => ({
    elapsed: performance.now() - started,
    lines: outputs.flatMap((output) => output.split('\n').filter(Boolean)),
  }));
}

/**
 * Waits, checking every frame, until the page holds every line (the status counts them) and the last
 * line by time is painted. Should following have stopped on the way, the log is scrolled to its end
 * (as a person would press End) so the last line can show.
 */
async function waitForLastLine(page: Page, text: string, timeout: number): Promise<void> {
  await page.waitForFunction(
    ([wanted, count]) => {
      const log = document.querySelector('[aria-label="Logs of all shown containers"]');
      const status = document.querySelector('[aria-label="Logs status"]')?.textContent ?? '';
      if (!log || !status.startsWith(`${count} lines`)) return false;
      const rows = log.firstElementChild?.children ?? [];
      if (Array.from(rows).some((row) => row.lastElementChild?.textContent === wanted)) return true;
      log.scrollTop = log.scrollHeight;
      return false;
    },
    [text, (CONTAINERS * LINES).toLocaleString('en-US')] as const,
    { timeout, polling: 'raf' },
  );
}

export async function benchLogsExplorer(page: Page): Promise<BenchRow[]> {
  const project = uniqueName('bench-explore');
  const names = Array.from({ length: CONTAINERS }, (_, index) => `${project}-c${String(index).padStart(2, '0')}`);
  try {
    for (const [index, name] of names.entries()) {
      const script = `awk 'BEGIN { for (i = 1; i <= ${LINES}; i++) print "c${String(index).padStart(2, '0')} line " i }'`;
      await docker(
        'run',
        '-d',
        '--name',
        name,
        '--label',
        `com.docker.compose.project=${project}`,
        BUSYBOX_IMAGE,
        'sh',
        '-c',
        script,
      );
    }
    for (const name of names) {
      const deadline = Date.now() + 300_000;
      while ((await docker('inspect', '-f', '{{.State.Running}}', name)) === 'true') {
        if (Date.now() > deadline) throw new Error(`${name} did not finish writing`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    // The line the view ends on: the latest by the engine's time (the CLI prints RFC 3339 with nanoseconds).
    const reference = await cliLogs(names);
    if (reference.lines.length !== CONTAINERS * LINES) throw new Error(`The CLI read ${reference.lines.length} lines`);
    const latest = reference.lines.reduce((best, line) => (timeOf(line) > timeOf(best) ? line : best));
    const lastText = latest.slice(latest.indexOf(' ') + 1);
    const cliRuns = [reference.elapsed];
    for (let run = 1; run < RUNS; run += 1) cliRuns.push((await cliLogs(names)).elapsed);

    // Choose the project and 50,000 lines per container once; the choice stays while the person is elsewhere.
    await page.goto(new URL('/#/logs', process.env.BERTH_URL).toString());
    const filters = page.getByRole('toolbar', { name: 'Log filters' });
    await filters.getByLabel('Project', { exact: true }).selectOption({ label: project });
    await filters.getByLabel('Lines per container', { exact: true }).selectOption({ label: LINES.toLocaleString('en-US') });
    await waitForLastLine(page, lastText, 300_000);

    const sidebar = page.getByRole('navigation', { name: 'Views' });
    const opens: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      await sidebar.getByRole('button', { name: 'Containers', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Containers' }).waitFor();
      const started = performance.now();
      await sidebar.getByRole('button', { name: 'Logs', exact: true }).click();
      await waitForLastLine(page, lastText, 300_000);
      opens.push(performance.now() - started);
    }
    const heap = await page.evaluate(
      () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
    );

    // Search: the page, then the same expression over the same texts in Node.
    const status = page.getByRole('search', { name: 'Search the logs' }).getByRole('status', { name: 'Search result' });
    const box = page.getByRole('search', { name: 'Search the logs' }).getByRole('searchbox', { name: 'Search text' });
    const searches: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      await box.fill('');
      await page.waitForFunction(() => document.querySelector('[aria-label="Search result"]')?.textContent === '', undefined, {
        polling: 'raf',
      });
      const started = performance.now();
      await box.fill(SEARCH);
      await page.waitForFunction(
        () => /^1 of \d+$/.test(document.querySelector('[aria-label="Search result"]')?.textContent ?? ''),
        undefined,
        {
          timeout: 120_000,
          polling: 'raf',
        },
      );
      searches.push(performance.now() - started);
    }
    const found = (await status.textContent()) ?? '';
    const texts = reference.lines.map((line) => line.slice(line.indexOf(' ') + 1));
    const regex = new RegExp(SEARCH, 'i');
    const nodeRuns: number[] = [];
    let nodeMatches = 0;
    for (let run = 0; run < RUNS; run += 1) {
      const started = performance.now();
      nodeMatches = texts.filter((text) => regex.test(text)).length;
      nodeRuns.push(performance.now() - started);
    }

    const total = (CONTAINERS * LINES).toLocaleString('en-US');
    return [
      {
        measure: `Logs explorer: open ${CONTAINERS} containers × ${LINES.toLocaleString('en-US')} lines until the last line shows, median of ${RUNS}`,
        berth: ms(median(opens)),
        reference: `${ms(median(cliRuns))} docker logs -t --tail ${LINES} ×${CONTAINERS} at once`,
        ratio: `${(median(opens) / median(cliRuns)).toFixed(1)}× the CLI`,
        goal: '',
      },
      {
        measure: `Logs explorer: regex search of ${total} lines until "1 of N" shows (${found.replace(/^1 of /, '')} found), median of ${RUNS}`,
        berth: ms(median(searches)),
        reference: `${ms(median(nodeRuns))} the same RegExp in Node (${nodeMatches} found)`,
        ratio: `${(median(searches) / median(nodeRuns)).toFixed(1)}× Node`,
        goal: '',
      },
      {
        measure: `Logs explorer: page JS heap holding ${total} lines`,
        berth: `${Math.round(heap / 1024 / 1024)} MiB`,
        reference: '',
        ratio: '',
        goal: '',
      },
    ];
  } finally {
    await docker('rm', '-f', ...names).catch(() => undefined);
  }
}

/** The time of a `docker logs -t` line as a sortable key (fraction padded: the CLI cuts trailing zeros). */
function timeOf(line: string): string {
  const time = line.slice(0, line.indexOf(' '));
  const match = /^(.{19})(?:\.(\d+))?Z$/.exec(time);
  return match ? `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}` : '';
}
