/**
 * dockerd SIGKILLed in the middle of a pull, a followed log and an open terminal, as a person sees it:
 * the dialog, the log view and the terminal say within 2 s that the engine stopped, and once dockerd
 * runs again (same data-root) Berth reconnects by itself and the same work succeeds without a reload.
 * One crash for all three, seen from two windows (the pull dialog is modal): a restart after a crash
 * costs dockerd 7-20 s here. The e2e Berth owns its dockerd (BERTH_ENGINE_DIR), so killing it
 * touches no other test's engine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator } from '@playwright/test';
import { processRunning, startLocalDockerd } from '../engine/dockerd/index.js';
import { seedRegistryImage } from '../engine/testing/image-fixtures.js';
import { startSlowProxy } from '../engine/testing/slow-proxy.js';
import { E2E_BRIDGE, E2E_SUBNET } from './berth-under-test.js';
import { BUSYBOX_IMAGE, docker, uniqueName } from './docker-cli.js';
import { TerminalPanel } from './pages/berth-page.js';
import { ContainerDetailPage } from './pages/container-detail-page.js';
import { ImagesPage } from './pages/images-page.js';
import { wordAndCommand } from './terminal-fixtures.js';

/** The UI must say what happened within this long of the kill (issue 17). */
const SAY_WITHIN_MS = 2_000;
const engineDir = () => process.env.BERTH_ENGINE_DIR!;

/** SIGKILLs the e2e engine, as a crash; resolves with the time of the kill once the process is gone. */
async function killEngine(): Promise<number> {
  const pid = Number(readFileSync(join(engineDir(), 'docker.pid'), 'utf8').trim());
  const at = Date.now();
  process.kill(pid, 'SIGKILL');
  await expect.poll(() => processRunning(pid), { message: 'the killed dockerd to be gone', intervals: [10] }).toBe(false);
  return at;
}

/** Starts dockerd again on the same data-root; resolves with the time it answered. */
async function restartEngine(): Promise<number> {
  await startLocalDockerd({ dir: engineDir(), bridge: E2E_BRIDGE, subnetPrefix: E2E_SUBNET });
  return Date.now();
}

/** Waits for the UI to say it, and notes how long after `since` that was. */
async function saidWithin(what: string, locator: Locator, since: number): Promise<number> {
  await locator.waitFor({ state: 'visible', timeout: 15_000 });
  const elapsed = Date.now() - since;
  test.info().annotations.push({ type: 'figure', description: `${what}: ${elapsed} ms` });
  console.info(`[engine-crash] ${what}: ${elapsed} ms`);
  return elapsed;
}

test('dockerd killed during a pull, a followed log and a terminal: the UI says so within 2 s and recovers without a reload', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const registry = process.env.BERTH_REGISTRY!;
  const repository = uniqueName('e2e-crash-pull');
  await seedRegistryImage(process.env.BERTH_DOCKER_HOST!, `${registry}/${repository}:1`, 16 * 1024 * 1024);
  // Through a slow forwarder, so the pull is still downloading when the engine dies.
  const proxy = await startSlowProxy(registry, 2 * 1024 * 1024);
  const reference = `${proxy.address}/${repository}:1`;
  // Each run of the loop names its start, so lines written after dockerd's restart are told apart.
  const name = uniqueName('e2e-crash');
  const script = 'run=$(date +%s); i=0; while :; do echo run-$run-$i; i=$((i+1)); sleep 0.3; done';
  await docker('run', '-d', '--restart', 'always', '--name', name, BUSYBOX_IMAGE, 'sh', '-c', script);
  // A second window (its own context, so both are visible and paint) for the log view and the terminal.
  const otherWindow = await browser.newContext();
  try {
    const detail = new ContainerDetailPage(await otherWindow.newPage());
    await detail.open();
    await detail.clickRowAction(name, 'Open terminal in');
    const terminal = new TerminalPanel(detail.page, name);
    await terminal.waitConnected();
    const [before, echoBefore] = wordAndCommand('before-');
    await terminal.type(echoBefore);
    await expect(terminal.region).toContainText(before);
    await detail.openDetail(name);
    await detail.showTab('Logs');
    const log = detail.log(name);
    await expect(log).toContainText(/run-\d+-2/);
    const firstRun = /run-(\d+)-/.exec(await log.innerText())![1]!;

    const images = new ImagesPage(page);
    await images.open();
    await images.showView('Images');
    await images.pull(reference);
    const layers = images.dialog.getByRole('list', { name: 'Layers' }).getByRole('listitem');
    await expect(layers.filter({ hasText: 'Downloading' }).first()).toBeVisible({ timeout: 20_000 });

    const killedAt = await killEngine();
    const said = await Promise.all([
      saidWithin(
        'pull dialog says the engine stopped',
        images.alert(`The engine stopped during the pull of ${reference}.`),
        killedAt,
      ),
      saidWithin(
        'log view says the engine stopped',
        detail.logStatus.filter({ hasText: `The engine stopped while following the log of ${name}.` }),
        killedAt,
      ),
      saidWithin(
        'terminal says the engine stopped',
        terminal.status.filter({
          hasText: 'Session ended. The engine stopped: this session ended. Open a new terminal once it runs again.',
        }),
        killedAt,
      ),
    ]);
    for (const elapsed of said) expect(elapsed).toBeLessThan(SAY_WITHIN_MS);
    const shown = (await log.innerText()).match(/run-\d+-\d+/g) ?? [];
    await expect(images.engineStatus).toContainText('Engine unreachable');
    await images.saveScreenshot('engine-crash-pull');
    await detail.saveScreenshot('engine-crash-log-terminal');

    const backAt = await restartEngine();
    await saidWithin(
      'engine running again after dockerd answered',
      images.engineStatus.filter({ hasText: 'Engine running' }),
      backAt,
    );

    // The log goes on by itself with the lines of the container's new run (restart policy "always"),
    // and every line the view showed before the kill is in the engine's log.
    await expect(log).toContainText(new RegExp(`run-(?!${firstRun})\\d+-0`), { timeout: 30_000 });
    await expect(detail.logStatus).toContainText('following');
    const logged = await docker('logs', name);
    for (const line of shown) expect(logged).toContain(line);

    // Reconnect opens a new shell in the restarted container.
    await detail.page.getByRole('button', { name: 'Reconnect' }).click();
    await terminal.waitConnected();
    const [after, echoAfter] = wordAndCommand('after-');
    await terminal.type(echoAfter);
    await expect(terminal.region).toContainText(after);
    await terminal.close();

    // The same dialog pulls again, and the list refilled from the engine that came back.
    await images.dialog.getByRole('button', { name: 'Pull', exact: true }).click();
    await expect(images.dialog.getByRole('status').filter({ hasText: `Pulled ${reference}.` })).toBeVisible({ timeout: 60_000 });
    await images.close();
    await expect(images.row(BUSYBOX_IMAGE)).toBeVisible();
    await expect(images.row(reference)).toBeVisible();
  } finally {
    await otherWindow.close();
    await proxy.close();
    await docker('rm', '-f', name).catch(() => undefined);
    await docker('rmi', reference).catch(() => undefined);
  }
});
