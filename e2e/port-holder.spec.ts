import { expect, test } from '@playwright/test';
import { freePort } from '../engine/testing/free-port.js';
import { BUSYBOX_IMAGE, docker, uniqueName } from './docker-cli.js';
import { ImagesPage } from './pages/images-page.js';

test('Run with a taken port names the container that holds it, and the link opens that container', async ({ page }) => {
  const port = await freePort();
  const holder = uniqueName('e2e-port-holder');
  const clash = uniqueName('e2e-port-clash');
  await docker('run', '-d', '--name', holder, '-p', `${port}:80`, BUSYBOX_IMAGE, 'sleep', '600');
  const images = new ImagesPage(page);
  try {
    await images.open();
    await images.showView('Images');
    await images
      .row(BUSYBOX_IMAGE)
      .getByRole('button', { name: `Run ${BUSYBOX_IMAGE}` })
      .click();
    await images.run({ name: clash, command: 'sleep 600', port: { host: port, container: 80 } });
    await expect(
      images.alert(`Port ${port} is already in use by container ${holder}. The container ${clash} was created but not started.`),
    ).toBeVisible({ timeout: 20_000 });
    await images.saveScreenshot('run-port-holder');
    await images.dialog.getByRole('button', { name: `Open container ${holder}` }).click();
    await expect(images.dialog).toHaveCount(0);
    await expect(page.getByRole('heading', { level: 1, name: holder, exact: true })).toBeVisible();
  } finally {
    await docker('rm', '-f', holder, clash).catch(() => undefined);
  }
});
