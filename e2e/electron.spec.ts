import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The Electron binary, or why there is none (on our build machines it cannot be downloaded). */
function electronBinary(): { path: string } | { missing: string } {
  try {
    const path = createRequire(import.meta.url)('electron') as string;
    return existsSync(path) ? { path } : { missing: `no binary at ${path}` };
  } catch (error) {
    return { missing: (error as Error).message.split('\n')[0]! };
  }
}

test('the desktop window opens securely and shows the containers', async () => {
  const binary = electronBinary();
  if ('missing' in binary) console.log(`Electron e2e SKIPPED: no Electron binary on this machine (${binary.missing}).`);
  test.skip('missing' in binary, `Skipped: no Electron binary on this machine (${'missing' in binary ? binary.missing : ''}).`);
  if (!('path' in binary)) return;
  const app = await electron.launch({
    executablePath: binary.path,
    args: [join(import.meta.dirname, '..', 'dist', 'app', 'electron-main.cjs'), '--engine', process.env.BERTH_DOCKER_HOST!],
  });
  const window = await app.firstWindow();
  await expect(window.getByRole('status', { name: 'Engine status' })).toContainText('Engine running', { timeout: 20_000 });
  await expect(window.getByRole('table', { name: 'Containers' })).toBeVisible();
  // The page has no Node: the sandbox and context isolation hold.
  expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
  expect(await window.evaluate(() => Object.isFrozen((window as unknown as { berth: object }).berth))).toBe(true);
  await window.screenshot({ path: 'e2e/artifacts/electron.png' });
  await app.close();
});
