/**
 * A pull that outlives its dialog and its view: started in the Images view, the dialog closed and the
 * person gone to Containers; when it ends a notification says "Pulled …" (recorded by wrapping
 * window.Notification), the Images view lists the image and its Transfers list reopens the pull.
 * So that the pull cannot end before the person has left (a local registry is fast), the page's
 * WebSocket is routed and the pull stream's end is held back until then; the engine pull is real.
 */
import { expect, test, type WebSocketRoute } from '@playwright/test';
import { NotificationRecorder } from './notification-recorder.js';
import { seedRegistryImage } from '../engine/testing/image-fixtures.js';
import { docker, uniqueName } from './docker-cli.js';
import { ImagesPage } from './pages/images-page.js';

/** Passes the page's API messages through, holding back the end of `images.pull` streams until released. */
function holdPullEnds() {
  const pulls = new Set<number>();
  const held: Array<{ page: WebSocketRoute; message: string }> = [];
  let holding = true;
  let ended = false;
  const route = (page: WebSocketRoute) => {
    const server = page.connectToServer();
    page.onMessage((message) => {
      if (typeof message === 'string') {
        const parsed = JSON.parse(message) as { t: string; id: number; stream?: string };
        if (parsed.t === 'subscribe' && parsed.stream === 'images.pull') pulls.add(parsed.id);
      }
      server.send(message);
    });
    server.onMessage((message) => {
      if (typeof message === 'string') {
        const parsed = JSON.parse(message) as { t: string; id: number };
        if ((parsed.t === 'end' || parsed.t === 'error') && pulls.has(parsed.id)) {
          ended = true;
          if (holding) return void held.push({ page, message });
        }
      }
      page.send(message);
    });
  };
  return {
    route,
    /** True once the engine has ended a pull (held or not). */
    ended: () => ended,
    release: () => {
      holding = false;
      for (const { page, message } of held.splice(0)) page.send(message);
    },
  };
}

test('a pull left running in the background notifies when it ends elsewhere, and the image is listed', async ({
  page,
  context,
}) => {
  const reference = `${process.env.BERTH_REGISTRY!}/${uniqueName('e2e-bgpull')}:1`;
  await seedRegistryImage(process.env.BERTH_DOCKER_HOST!, reference, 8 * 1024 * 1024);
  await context.grantPermissions(['notifications']);
  const notifications = new NotificationRecorder(page);
  await notifications.install();
  const pullEnds = holdPullEnds();
  await page.routeWebSocket(/\/__berth\/ws$/, pullEnds.route);
  const images = new ImagesPage(page);
  await images.open();
  await images.showView('Engine');
  await page.getByRole('checkbox', { name: /Notify me when a container dies unexpectedly/ }).check();
  const notices = () => notifications.shown();

  try {
    await images.showView('Images');
    await images.pull(reference);
    await expect(images.dialog.getByRole('button', { name: 'Cancel pull' })).toBeVisible();
    await images.close(); // closing leaves the pull running
    const transfer = page.getByRole('list', { name: 'Transfers' }).getByRole('listitem', { name: `Pull of ${reference}` });
    await expect(transfer).toBeVisible();
    await images.showView('Containers');
    await expect.poll(pullEnds.ended, { timeout: 30_000 }).toBe(true);
    expect(await notices()).toEqual([]);

    pullEnds.release();
    await expect
      .poll(notices, { timeout: 10_000 })
      .toContainEqual({ title: `Pulled ${reference}`, body: 'Open Berth to see it.' });
    await notifications.click(`Pulled ${reference}`);

    await expect(page).toHaveURL(/#\/images$/);
    await expect(images.row(reference)).toBeVisible();
    await expect(transfer.getByRole('status')).toHaveText('Pulled');
    await images.saveScreenshot('images-transfers');
    await transfer.getByRole('button', { name: `Show Pull of ${reference}` }).click();
    await expect(images.dialog.getByRole('status').filter({ hasText: `Pulled ${reference}.` })).toBeVisible();
    await expect(images.progress()).toHaveAttribute('aria-valuenow', '100');
    await images.close();
    await transfer.getByRole('button', { name: `Dismiss Pull of ${reference}` }).click();
    await expect(transfer).toHaveCount(0);
  } finally {
    await docker('rmi', reference).catch(() => undefined);
  }
});
