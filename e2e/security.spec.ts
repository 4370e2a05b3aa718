import { expect, test } from '@playwright/test';

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
