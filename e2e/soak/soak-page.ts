/**
 * The page that watches: Chromium (Debian's, through Playwright) on Berth's Containers view for the
 * whole soak, and, at the end, its list as the page holds it: every row of the virtual table, read by
 * scrolling it from top to bottom, name and state as the row shows them.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../playwright.config.js';
import type { ListedContainer } from './soak-figures.js';

export interface WatchingPage {
  readonly page: Page;
  /** The page's errors (uncaught exceptions), as they came. */
  readonly errors: string[];
  /** The count the view shows ("N of M"), or null before the list is there. */
  shownCount(): Promise<string | null>;
  readList(): Promise<ListedContainer[]>;
  close(): Promise<void>;
}

export async function openWatchingPage(url: string): Promise<WatchingPage> {
  const browser: Browser = await chromium.launch({
    executablePath: process.env.BERTH_CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url); // trades the token for the cookie
  await page.getByRole('status', { name: 'Engine status' }).filter({ hasText: 'Engine running' }).waitFor({ timeout: 30_000 });
  await page.getByRole('heading', { level: 1, name: 'Containers' }).waitFor();
  await page.getByRole('table', { name: 'Containers' }).getByRole('row').nth(1).waitFor({ timeout: 60_000 });
  const count = page.getByText(/^\d+ of \d+$/);
  return {
    page,
    errors,
    async shownCount() {
      const text = (await count.textContent())?.trim();
      return text ? text : null;
    },
    readList: () => readWholeList(page),
    async close() {
      await browser.close();
    },
  };
}

interface ReadRows {
  rowCount: number;
  rows: Array<{ index: number; name: string; state: string }>;
}

/**
 * One pass over the table, in the page: scrolls it a screen at a time and gathers the rows painted.
 * A string, not a function: tsx would wrap a function's inner helpers in a name helper the page lacks.
 */
const SCROLL_AND_GATHER = `(async () => {
  const table = document.querySelector('[role="table"][aria-label="Containers"]');
  const body = table.querySelector('.table-body');
  const rows = new Map();
  const painted = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 20))));
  const gather = () => {
    for (const row of body.querySelectorAll('[role="row"]')) {
      const index = Number(row.getAttribute('aria-rowindex'));
      const state = row.querySelectorAll('[role="cell"]')[2]?.textContent?.trim() ?? '';
      rows.set(index, { index, name: row.getAttribute('aria-label') ?? '', state });
    }
  };
  body.scrollTop = 0;
  await painted();
  for (;;) {
    gather();
    if (body.scrollTop + body.clientHeight >= body.scrollHeight - 1) break;
    body.scrollTop += Math.max(1, Math.floor(body.clientHeight * 0.8));
    await painted();
  }
  body.scrollTop = 0;
  return { rowCount: Number(table.getAttribute('aria-rowcount')) - 1, rows: [...rows.values()] };
})()`;

async function readWholeList(page: Page): Promise<ListedContainer[]> {
  for (let attempt = 0; ; attempt += 1) {
    const { rowCount, rows } = await page.evaluate<ReadRows>(SCROLL_AND_GATHER);
    // A row added or removed while scrolling shifts the indices: read again until one pass saw them all.
    const complete = rows.length === rowCount && rows.every((row) => row.index >= 2 && row.index <= rowCount + 1);
    if (complete || attempt === 4) return rows.map(({ name, state }) => ({ name, state }));
  }
}
