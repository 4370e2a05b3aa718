import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { LAST_RESORT_MARK } from '../app/launcher/last-resort-guard.js';
import { BerthPage } from './pages/berth-page.js';

function baseUrl(): { origin: string; port: string; token: string } {
  const url = new URL(process.env.BERTH_URL!);
  return { origin: url.origin, port: url.port, token: new URLSearchParams(url.hash.slice(1)).get('token')! };
}

test.describe('Browser mode refuses strangers', () => {
  test('a link with a wrong token is refused and the page says why', async ({ page }) => {
    const { origin } = baseUrl();
    await page.goto(`${origin}/#token=not-the-token`);
    await expect(page.getByRole('status')).toContainText('the Berth token is wrong');
    await expect(page.getByRole('table', { name: 'Containers' })).toHaveCount(0);
    await page.screenshot({ path: 'e2e/artifacts/wrong-token.png' });
  });

  test('a link without a token says where to find the right one', async ({ page }) => {
    await page.goto(`${baseUrl().origin}/`);
    await expect(page.getByRole('status')).toContainText('the link Berth printed');
  });

  test('requests without the token, with a foreign Origin or a foreign Host are refused', async ({ request }) => {
    const { origin, port, token } = baseUrl();
    const noToken = await request.get(`${origin}/__berth/whoami`);
    expect(noToken.status()).toBe(401);
    expect(((await noToken.json()) as { reason: string }).reason).toContain('no Berth token');

    const wrongToken = await request.get(`${origin}/__berth/whoami`, { headers: { Authorization: 'Bearer nope' } });
    expect(wrongToken.status()).toBe(401);

    const foreignOrigin = await request.post(`${origin}/__berth/session`, {
      headers: { Authorization: `Bearer ${token}`, Origin: 'https://evil.example' },
    });
    expect(foreignOrigin.status()).toBe(403);
    expect(((await foreignOrigin.json()) as { reason: string }).reason).toContain('another site');

    const rebound = await request.get(`${origin}/__berth/whoami`, {
      headers: { Authorization: `Bearer ${token}`, Host: `evil.example:${port}` },
    });
    expect(rebound.status()).toBe(421);

    const allowed = await request.get(`${origin}/__berth/whoami`, { headers: { Authorization: `Bearer ${token}` } });
    expect(allowed.status()).toBe(204);
  });

  test('a WebSocket from a foreign origin is refused even with the right cookie', async ({ page, context }) => {
    const { origin, port, token } = baseUrl();
    await page.goto(`${origin}/#token=${token}`);
    await expect(page.getByRole('status', { name: 'Engine status' })).toContainText('Engine running', { timeout: 15_000 });
    // The cookie is in this context; a page served from another origin still cannot open the socket.
    await context.route('http://evil.localhost/', (route) =>
      route.fulfill({ body: '<html><body>evil</body></html>', contentType: 'text/html' }),
    );
    const evil = await context.newPage();
    await evil.goto('http://evil.localhost/');
    const outcome = await evil.evaluate(
      (wsUrl) =>
        new Promise<string>((resolve) => {
          const socket = new WebSocket(wsUrl);
          socket.onopen = () => resolve('open');
          socket.onerror = () => resolve('refused');
        }),
      `ws://127.0.0.1:${port}/__berth/ws`,
    );
    expect(outcome).toBe('refused');
  });
});

test.describe('Browser mode outlives a hostile page', () => {
  test('a page on another site opening and abandoning WebSockets in a loop does not disturb the Berth page', async ({
    page,
    context,
  }) => {
    test.setTimeout(120_000);
    const { origin, port, token } = baseUrl();
    const berth = new BerthPage(page);
    await berth.open(`${origin}/#token=${token}`);
    // Opens 100 sockets to Berth as fast as it can, drops half at once, and is closed mid-handshake.
    await context.route('http://evil.localhost/', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<html><body><script>
          window.opened = 0;
          for (let n = 0; n < 100; n += 1) {
            const socket = new WebSocket('ws://127.0.0.1:${port}/__berth/ws');
            window.opened += 1;
            // Half are dropped by the page itself a moment later, the rest when the tab closes.
            if (n % 2 === 0) setTimeout(() => socket.close(), n % 7);
          }
        </script></body></html>`,
      }),
    );
    for (let round = 1; round <= 60; round += 1) {
      const evil = await context.newPage();
      await evil.goto('http://evil.localhost/');
      await expect.poll(() => evil.evaluate(() => (window as unknown as { opened: number }).opened)).toBe(100);
      await evil.close();
      if (round % 10 === 0) {
        // The Berth page still works: it switches views and its data arrives over its own socket.
        await berth.showView(round % 20 === 0 ? 'Containers' : 'Images');
        await expect(page.getByRole('table', { name: round % 20 === 0 ? 'Containers' : 'Images' })).toBeVisible();
        await expect(berth.engineStatus).toContainText('Engine running');
      }
    }
    const alive = await page.request.get(`${origin}/__berth/whoami`, { headers: { Authorization: `Bearer ${token}` } });
    expect(alive.status()).toBe(204);
    // Nothing slipped through to the last-resort guard (which would have kept the server alive).
    const log = readFileSync(process.env.BERTH_LOG_PATH!, 'utf8');
    expect(log.split('\n').filter((line) => line.startsWith(LAST_RESORT_MARK))).toEqual([]);
  });
});
