/**
 * 1,000 created containers: a fresh Berth page until its list shows all of them (the count reads
 * "N of N" and the first rows are painted), against `docker ps -a` on the same engine (process start
 * to last line). Medians of 5 runs each.
 */
import Dockerode from 'dockerode';
import { spawn } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { BUSYBOX_IMAGE } from '../docker-cli.js';
import type { BenchRow } from './bench-row.js';
import { median, ms } from './stats.js';

const CONTAINERS = 1_000;
const RUNS = 5;

async function createContainers(count: number): Promise<void> {
  const dockerode = new Dockerode({ socketPath: process.env.BERTH_DOCKER_HOST!.replace('unix://', '') });
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      await dockerode.createContainer({ name: `bench-list-${index}`, Image: BUSYBOX_IMAGE, Cmd: ['true'] });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

function timeDockerPs(): Promise<{ ms: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('docker', ['-H', process.env.BERTH_DOCKER_HOST!, 'ps', '-a'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let lines = 0;
    child.stdout.on('data', (chunk: Buffer) => (lines += chunk.toString().split('\n').length - 1));
    child.on('error', reject);
    child.on('close', () => resolve({ ms: performance.now() - started, lines: lines - 1 }));
  });
}

export async function benchContainerList(browser: Browser): Promise<BenchRow[]> {
  const created = performance.now();
  await createContainers(CONTAINERS);
  console.log(`  created ${CONTAINERS} containers in ${((performance.now() - created) / 1000).toFixed(1)} s`);

  const cli: number[] = [];
  let total = 0;
  for (let run = 0; run < RUNS; run += 1) {
    const result = await timeDockerPs();
    cli.push(result.ms);
    total = result.lines;
  }

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(process.env.BERTH_URL!); // trades the token for the cookie once
  await page.getByRole('table', { name: 'Containers' }).waitFor();
  const appUrl = new URL('/', process.env.BERTH_URL).toString();
  const berth: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    await page.goto(appUrl);
    await page.getByText(`${total} of ${total}`, { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole('table', { name: 'Containers' }).getByRole('row').nth(5).waitFor();
    berth.push(performance.now() - started);
  }
  await context.close();
  return [
    {
      measure: `List of ${total} containers shown (fresh page load), median of ${RUNS}`,
      berth: ms(median(berth)),
      reference: `${ms(median(cli))} docker ps -a`,
      ratio: `${(median(berth) / median(cli)).toFixed(2)}×`,
      goal: '≤ 1.5×',
    },
  ];
}
