import { expect, test } from '@playwright/test';
import { startLocalDockerd, stopDockerdIn } from '../engine/dockerd/index.js';
import { E2E_BRIDGE, E2E_SUBNET } from './berth-under-test.js';
import { BUSYBOX_IMAGE, docker, uniqueName } from './docker-cli.js';
import { ContainersPage } from './pages/berth-page.js';

test('when dockerd goes away and comes back, Berth says so, reconnects and refreshes without a reload', async ({ page }) => {
  test.setTimeout(120_000);
  const containers = new ContainersPage(page);
  await containers.open();
  const dir = process.env.BERTH_ENGINE_DIR!;

  await stopDockerdIn(dir, E2E_BRIDGE, { keepDir: true });
  await expect(containers.engineStatus).toContainText('Engine unreachable', { timeout: 10_000 });
  await containers.saveScreenshot('engine-unreachable');

  await startLocalDockerd({ dir, bridge: E2E_BRIDGE, subnetPrefix: E2E_SUBNET });
  await expect(containers.engineStatus).toContainText('Engine running', { timeout: 15_000 });

  // Made while Berth was not looking at the event stream's start: the list must still show it.
  const name = uniqueName('e2e-after-restart');
  await docker('create', '--name', name, BUSYBOX_IMAGE, 'true');
  await expect(containers.row(name)).toBeVisible({ timeout: 2_000 });
  await docker('rm', name);
});
