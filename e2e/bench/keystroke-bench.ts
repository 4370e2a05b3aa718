/**
 * Keystroke echo: a key pressed in the page until its echo is in the terminal (xterm parsed it) and
 * until it is painted, over 200 keys. Reference: the same echo measured on a raw exec stream from
 * Node, without Berth, the UI or the WebSocket: the engine's own floor.
 */
import Dockerode from 'dockerode';
import type { Duplex } from 'node:stream';
import type { Page } from 'playwright-core';
import { BUSYBOX_IMAGE, docker, uniqueName } from '../docker-cli.js';
import { openTerminalIn } from './bench-terminal.js';
import type { BenchRow } from './bench-row.js';
import { ms, percentile } from './stats.js';

const KEYS = 200;
const WARM_UP_KEYS = 20;

interface EchoProbe {
  t0: number;
  parsed: number[];
  painted: number[];
}

async function rawExecEcho(containerName: string): Promise<number[]> {
  const dockerode = new Dockerode({ socketPath: process.env.BERTH_DOCKER_HOST!.replace('unix://', '') });
  const exec = await dockerode.getContainer(containerName).exec({
    Cmd: ['/bin/sh'],
    AttachStdin: true,
    AttachStdout: true,
    Tty: true,
  });
  const socket: Duplex = await exec.start({ hijack: true, stdin: true, Tty: true });
  const samples: number[] = [];
  let waiting: (() => void) | undefined;
  socket.on('data', () => waiting?.());
  await new Promise((resolve) => setTimeout(resolve, 300)); // let the prompt arrive before timing
  for (let index = 0; index < KEYS; index += 1) {
    const echoed = new Promise<void>((resolve) => (waiting = resolve));
    const started = performance.now();
    socket.write(index % 2 === 0 ? 'x' : '\x7f');
    await echoed;
    samples.push(performance.now() - started);
    waiting = undefined;
  }
  socket.write('exit\r');
  socket.destroy();
  return samples;
}

export async function benchKeystrokeEcho(page: Page): Promise<BenchRow[]> {
  const name = uniqueName('bench-term');
  await docker('run', '-d', '--name', name, BUSYBOX_IMAGE, 'sleep', '3600');
  await openTerminalIn(page, name);
  const region = page.getByRole('region', { name: `Terminal for ${name}` });
  await region.click();

  // A string, not a function: tsx's name-keeping helpers do not exist inside the page.
  await page.evaluate(`(() => {
    const probe = { t0: 0, parsed: [], painted: [] };
    window.__echo = probe;
    const host = document.querySelector('[aria-label="Terminal for ${name}"]');
    document.addEventListener('keydown', () => (probe.t0 = performance.now()), true);
    // TerminalPanel announces each output chunk xterm has parsed ('berth:terminal-output').
    host.addEventListener('berth:terminal-output', () => {
      if (probe.t0 && probe.parsed.length === probe.painted.length) probe.parsed.push(performance.now() - probe.t0);
    });
    new MutationObserver(() => {
      if (probe.t0 && probe.painted.length < probe.parsed.length) {
        probe.painted.push(performance.now() - probe.t0);
        probe.t0 = 0;
      }
    }).observe(host, { childList: true, subtree: true, characterData: true });
  })()`);

  // Warm-up, not measured: the first keys of a fresh page meet cold JIT and lazy xterm paths.
  for (let index = 0; index < WARM_UP_KEYS; index += 1) {
    await page.keyboard.press(index % 2 === 0 ? 'x' : 'Backspace');
    await page.waitForFunction((count) => (window as unknown as { __echo: EchoProbe }).__echo.painted.length >= count, index + 1);
  }
  await page.evaluate('window.__echo.parsed = []; window.__echo.painted = []; window.__echo.t0 = 0');
  for (let index = 0; index < KEYS; index += 1) {
    await page.keyboard.press(index % 2 === 0 ? 'x' : 'Backspace');
    await page.waitForFunction((count) => (window as unknown as { __echo: EchoProbe }).__echo.painted.length >= count, index + 1);
  }
  const probe = await page.evaluate(() => (window as unknown as { __echo: EchoProbe }).__echo);
  await page.getByRole('button', { name: 'Close terminal' }).click();

  const reference = await rawExecEcho(name);
  await docker('rm', '-f', name);
  const row = (what: string, samples: number[], p: number, goal: string): BenchRow => ({
    measure: `Keystroke echo, ${what}, p${p} (${KEYS} keys)`,
    berth: ms(percentile(samples, p)),
    reference: `${ms(percentile(reference, p))} raw exec`,
    ratio: `${(percentile(samples, p) / percentile(reference, p)).toFixed(1)}×`,
    goal,
  });
  return [
    row('in xterm', probe.parsed, 50, ''),
    row('in xterm', probe.parsed, 95, 'p95 ≤ 15 ms'),
    row('painted', probe.painted, 50, ''),
    row('painted', probe.painted, 95, ''),
  ];
}
