/** Opens a terminal in a container through the UI, as a person would, and waits until its shell is there. */
import type { Page } from 'playwright-core';

export async function openTerminalIn(page: Page, containerName: string): Promise<void> {
  const table = page.getByRole('table', { name: 'Containers' });
  await table.getByRole('button', { name: `Open terminal in ${containerName}`, exact: true }).click();
  await page
    .getByRole('status')
    .filter({ hasText: /^Connected: / })
    .waitFor({ timeout: 20_000 });
}
