import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { BUSYBOX_IMAGE, docker, NO_SHELL_IMAGE, shellsIn, uniqueName } from './docker-cli.js';
import { ContainersPage, TerminalPanel } from './pages/berth-page.js';

test.describe('Terminal', () => {
  test('runs a command in a shell, follows resizes, and leaves no shell behind when closed', async ({ page }) => {
    const name = uniqueName('e2e-term');
    await docker('run', '-d', '--name', name, BUSYBOX_IMAGE, 'sleep', '3600');
    const containers = new ContainersPage(page);
    await containers.open();

    await containers.clickRowAction(name, 'Open terminal in');
    const terminal = new TerminalPanel(page, name);
    await terminal.waitConnected();
    const marker = `berth-${randomBytes(4).toString('hex')}`;
    await terminal.type(`echo ${marker.slice(0, 6)}""${marker.slice(6)}\n`);
    // The typed line has the quotes; only the shell's output has the word whole.
    await expect(terminal.region).toContainText(marker);
    expect(await shellsIn(name)).toHaveLength(1);
    await containers.saveScreenshot('terminal');

    // The terminal's size reaches the shell: stty reports what xterm fits into the panel.
    await terminal.type('stty size\n');
    await expect(terminal.region).toContainText(/\n?\d+ \d+/);
    const before = await page.getByRole('region', { name: `Terminal for ${name}` }).innerText();
    await page.setViewportSize({ width: 900, height: 700 });
    await terminal.type('clear; stty size\n');
    await expect
      .poll(async () => (await terminal.region.innerText()).match(/(\d+) (\d+)/)?.[0])
      .not.toBe(before.match(/(\d+) (\d+)/g)?.pop());

    // Start a long-running child too: closing must end the shell and its job.
    await terminal.type('sleep 1000\n');
    await expect.poll(async () => (await docker('exec', name, 'ps', '-o', 'args')).includes('sleep 1000')).toBe(true);
    await terminal.close();
    await expect.poll(() => shellsIn(name), { timeout: 10_000 }).toEqual([]);
    await docker('rm', '-f', name);
  });

  test('a container without a shell gets a clear message', async ({ page }) => {
    const name = uniqueName('e2e-noshell');
    await docker('run', '-d', '--name', name, NO_SHELL_IMAGE);
    const containers = new ContainersPage(page);
    await containers.open();
    await containers.clickRowAction(name, 'Open terminal in');
    await expect(containers.alert(`Container ${name} has no shell to open`)).toBeVisible({ timeout: 15_000 });
    await docker('rm', '-f', name);
  });
});
