/**
 * Engine event → UI: 100 start/stop cycles driven by the docker CLI. For each transition, the time
 * from the engine's event (its own timestamp) until the row's state cell changed in the page. Both
 * are this machine's wall clock (Date.now() in the page: performance.timeOrigin drifts from it).
 */
import { spawn } from 'node:child_process';
import type { Page } from 'playwright-core';
import { BUSYBOX_IMAGE, docker, uniqueName } from '../docker-cli.js';
import type { BenchRow } from './bench-row.js';
import { ms, percentile } from './stats.js';

const CYCLES = 100;

interface StateProbe {
  changes: Array<{ state: string; at: number }>;
}

export async function benchEventLatency(page: Page): Promise<BenchRow[]> {
  const name = uniqueName('bench-events');
  await docker('create', '--name', name, '--stop-timeout', '0', BUSYBOX_IMAGE, 'sleep', '3600');
  const row = page.getByRole('table', { name: 'Containers' }).getByRole('row', { name, exact: true });
  await row.waitFor();
  // A string, not a function: tsx's name-keeping helpers do not exist inside the page.
  await page.evaluate(`(() => {
    const rowName = ${JSON.stringify(name)};
    const probe = { changes: [] };
    window.__states = probe;
    const stateOf = () =>
      document.querySelector('[role="row"][aria-label="' + rowName + '"] [data-state]')?.getAttribute('data-state') ?? '';
    let last = stateOf();
    new MutationObserver(() => {
      const now = stateOf();
      if (now !== last) probe.changes.push({ state: now, at: Date.now() });
      last = now;
    }).observe(document.querySelector('[role="table"][aria-label="Containers"]'), {
      subtree: true, childList: true, attributes: true, characterData: true,
    });
  })()`);

  // Recorded live: dockerd keeps only its last 256 events for `--since`, fewer than 100 cycles make.
  const recorder = spawn(
    'docker',
    ['-H', process.env.BERTH_DOCKER_HOST!, 'events', '--filter', `container=${name}`, '--format', '{{.Action}} {{.TimeNano}}'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let recorded = '';
  recorder.stdout.on('data', (chunk: Buffer) => (recorded += chunk.toString()));
  await new Promise((resolve) => setTimeout(resolve, 300)); // the CLI has subscribed by then
  for (let cycle = 0; cycle < CYCLES; cycle += 1) {
    await docker('start', name);
    await page.waitForFunction(
      (count) => (window as unknown as { __states: StateProbe }).__states.changes.length >= count,
      cycle * 2 + 1,
    );
    await docker('stop', '-t', '0', name);
    await page.waitForFunction(
      (count) => (window as unknown as { __states: StateProbe }).__states.changes.length >= count,
      cycle * 2 + 2,
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  recorder.kill();
  const changes = await page.evaluate(() => (window as unknown as { __states: StateProbe }).__states.changes);
  const events = recorded
    .trim()
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([action]) => action === 'start' || action === 'die')
    .map(([action, nanos]) => ({ state: action === 'start' ? 'running' : 'exited', at: Number(BigInt(nanos!) / 1000n) / 1000 }));
  await docker('rm', '-f', name);

  const latencies: number[] = [];
  for (let index = 0; index < Math.min(events.length, changes.length); index += 1) {
    const event = events[index]!;
    const change = changes[index]!;
    if (event.state === change.state) latencies.push(change.at - event.at);
  }
  if (latencies.length === 0) {
    console.log('  no matching transitions:', JSON.stringify({ events: events.slice(0, 3), changes: changes.slice(0, 3) }));
  }
  const cliRoundTrip = 'one CLI start+stop cycle drives 2 events';
  return [
    {
      measure: `Engine event → UI row updated, p50 (${latencies.length} transitions)`,
      berth: ms(percentile(latencies, 50)),
      reference: cliRoundTrip,
      ratio: '',
      goal: '',
    },
    {
      measure: `Engine event → UI row updated, p95 (${latencies.length} transitions)`,
      berth: ms(percentile(latencies, 95)),
      reference: '',
      ratio: '',
      goal: 'p95 ≤ 150 ms',
    },
  ];
}
