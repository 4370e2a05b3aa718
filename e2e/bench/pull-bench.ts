/**
 * A pull of a ≥ 100 MB image through Berth (the Pull dialog, from the click until it says "Pulled")
 * against `docker pull` of the same reference from the same local registry (process start to exit).
 * The image is made here once: one layer of random data (it does not compress, so it stays 100 MB on
 * the wire), pushed to BERTH_REGISTRY. Before each run the image is removed, so every run downloads
 * and extracts the layer (and the disk is synced). Runs alternate which goes first.
 */
import { spawn } from 'node:child_process';
import type { Page } from 'playwright-core';
import { seedRegistryImage } from '../../engine/testing/image-fixtures.js';
import { docker } from '../docker-cli.js';
import type { BenchRow } from './bench-row.js';
import { median } from './stats.js';

const LAYER_BYTES = 100 * 1024 * 1024;
const RUNS = 7;

/** Removes the image and flushes the disk, so no run pays for the previous one's writes. */
async function removeAndSettle(reference: string): Promise<void> {
  await docker('rmi', reference).catch(() => undefined);
  await new Promise<void>((resolve, reject) =>
    spawn('sync', { stdio: 'ignore' })
      .on('error', reject)
      .on('close', () => resolve()),
  );
}

function timeDockerPull(reference: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('docker', ['-H', process.env.BERTH_DOCKER_HOST!, 'pull', '-q', reference], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`docker pull exited ${code}`)),
    );
  });
}

/**
 * From the click until the dialog says "Pulled", both taken in the page (a MutationObserver stamps the
 * moment the text is in the DOM): Playwright's own polling, which backs off to 500 ms, stays out of it.
 */
async function timeBerthPull(page: Page, reference: string): Promise<number> {
  const dialog = page.getByRole('dialog');
  await page.getByRole('toolbar', { name: 'Image actions' }).getByRole('button', { name: 'Pull…' }).click();
  await dialog.getByRole('textbox', { name: 'Image reference' }).fill(reference);
  const done = `Pulled ${reference}.`;
  const elapsed = await dialog.getByRole('button', { name: 'Pull', exact: true }).evaluate(
    (button, text) =>
      new Promise<number>((resolve, reject) => {
        const target = button.closest('dialog')!;
        const observer = new MutationObserver(() => {
          const alert = target.querySelector('[role="alert"]');
          if (alert) {
            observer.disconnect();
            reject(new Error(alert.textContent ?? 'the pull failed'));
          }
          const status = [...target.querySelectorAll('[role="status"]')].find((element) => element.textContent === text);
          if (!status) return;
          observer.disconnect();
          resolve(performance.now() - started);
        });
        observer.observe(target, { subtree: true, childList: true, characterData: true });
        const started = performance.now();
        (button as HTMLButtonElement).click();
      }),
    done,
  );
  await dialog.getByRole('status').filter({ hasText: done }).waitFor({ timeout: 120_000 });
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  return elapsed;
}

const seconds = (value: number) => `${(value / 1000).toFixed(2)} s`;

export async function benchImagePull(page: Page): Promise<BenchRow[]> {
  const reference = `${process.env.BERTH_REGISTRY!}/bench-pull:100mb`;
  const seeded = performance.now();
  await seedRegistryImage(process.env.BERTH_DOCKER_HOST!, reference, LAYER_BYTES);
  console.log(`  pushed a ${LAYER_BYTES / 1024 / 1024} MiB layer in ${seconds(performance.now() - seeded)}`);

  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Images' }).click();
  const cli: number[] = [];
  const berth: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    // Alternate which goes first, so neither always follows the other's disk writes.
    const order = run % 2 === 0 ? (['cli', 'berth'] as const) : (['berth', 'cli'] as const);
    for (const which of order) {
      await removeAndSettle(reference);
      if (which === 'cli') cli.push(await timeDockerPull(reference));
      else berth.push(await timeBerthPull(page, reference));
    }
    console.log(`  run ${run + 1}: docker pull ${seconds(cli.at(-1)!)}, Berth ${seconds(berth.at(-1)!)}`);
  }
  await removeAndSettle(reference);
  return [
    {
      measure: `Pull of a ${LAYER_BYTES / 1024 / 1024} MiB image from a local registry, median of ${RUNS}`,
      berth: seconds(median(berth)),
      reference: `${seconds(median(cli))} docker pull`,
      ratio: `${(median(berth) / median(cli)).toFixed(2)}×`,
      goal: '≤ 1.1×',
    },
  ];
}
