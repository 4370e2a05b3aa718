/**
 * The terminal as a person handles it: copy and paste with the platform's shortcuts, links that open,
 * text that zooms (and the shell hears about the new size), colours that follow light and dark mode.
 */
import { randomBytes } from 'node:crypto';
import { BUSYBOX_IMAGE } from './docker-cli.js';
import { ContainersPage, TerminalPanel } from './pages/berth-page.js';
import { expect, test, wordAndCommand, type RunContainer } from './terminal-fixtures.js';
import type { Page } from '@playwright/test';

/** Browser mode on Linux: the shortcuts a Linux terminal uses (Ctrl-Shift-C and V; Ctrl with = − 0 to zoom). */
const COPY = 'Control+Shift+KeyC';
const PASTE = 'Control+Shift+KeyV';

async function openShell(page: Page, runContainer: RunContainer, prefix: string): Promise<TerminalPanel> {
  const name = await runContainer(prefix, BUSYBOX_IMAGE, 'sleep', '3600');
  const containers = new ContainersPage(page);
  await containers.open();
  await containers.clickRowAction(name, 'Open terminal in');
  const terminal = new TerminalPanel(page, name);
  await terminal.waitConnected();
  return terminal;
}

test.describe('Terminal interaction', () => {
  test('copies the selection with Ctrl-Shift-C and pastes into the shell with Ctrl-Shift-V', async ({ page, runContainer }) => {
    await page
      .context()
      .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(process.env.BERTH_URL!).origin });
    const terminal = await openShell(page, runContainer, 'e2e-clip');
    const [word, echo] = wordAndCommand('copyme-');
    await terminal.type(echo);

    // A double click selects the word in the output; the shortcut puts it on the clipboard.
    await expect(terminal.printed(word)).toBeVisible();
    await terminal.pointAt(word, 'dblclick');
    await page.keyboard.press(COPY);
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(word);

    // Pasting types the clipboard into the shell, which runs it.
    const [pasted, command] = wordAndCommand('pasted-');
    await page.evaluate((text) => navigator.clipboard.writeText(text), command);
    await terminal.region.click();
    await page.keyboard.press(PASTE);
    await expect(terminal.printed(pasted)).toBeVisible();
    await terminal.close();
  });

  test('a URL printed in the terminal is a link that opens in a new window', async ({ page, runContainer }) => {
    const url = `https://berth-link.example/${randomBytes(4).toString('hex')}`;
    // The link's page, served here: the test needs no network, only to see that it was opened.
    await page
      .context()
      .route('https://berth-link.example/**', (route) => route.fulfill({ contentType: 'text/plain', body: 'opened' }));
    const terminal = await openShell(page, runContainer, 'e2e-link');
    await terminal.type(`echo ${url.slice(0, 10)}""${url.slice(10)}\n`);

    await expect(terminal.printed(url)).toBeVisible();
    await terminal.pointAt(url, 'hover');
    const opened = page.context().waitForEvent('page');
    await terminal.pointAt(url, 'click');
    const popup = await opened;
    await popup.waitForURL(url);
    await expect(popup.getByText('opened')).toBeVisible();
    await popup.close();
    await terminal.close();
  });

  test('zooms the text with the keyboard and the buttons, and the shell gets the new size', async ({ page, runContainer }) => {
    const terminal = await openShell(page, runContainer, 'e2e-zoom');
    await expect(terminal.textSize).toHaveText('13 px');
    const before = await terminal.sizeInShell();

    await terminal.region.click();
    await page.keyboard.press('Control+Equal');
    await page.getByRole('button', { name: 'Larger text' }).click();
    await page.getByRole('button', { name: 'Larger text' }).click();
    await expect(terminal.textSize).toHaveText('16 px');
    // Bigger letters: fewer fit, and the shell's terminal shrinks to match (the fit reran, the exec was resized).
    const larger = await terminal.sizeInShell();
    expect(larger.cols).toBeLessThan(before.cols);
    expect(larger.rows).toBeLessThan(before.rows);

    await terminal.region.click();
    await page.keyboard.press('Control+Minus');
    await expect(terminal.textSize).toHaveText('15 px');
    await page.keyboard.press('Control+0');
    await expect(terminal.textSize).toHaveText('13 px');
    expect(await terminal.sizeInShell()).toEqual(before);
    await terminal.close();
  });

  test('tab shortcuts open, switch and close tabs, and never reach the shell', async ({ page, runContainer }) => {
    const first = await openShell(page, runContainer, 'e2e-keys');
    const tabs = page.getByRole('tablist', { name: 'Terminal tabs' }).getByRole('tab');
    // `cat -v` shows whatever reaches the shell: a leaked Alt shortcut would print as ^[ (Esc).
    await first.type('cat -v\n');

    await page.keyboard.press('Alt+Shift+KeyT'); // another terminal like this one
    await expect(tabs).toHaveCount(2);
    await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true');
    await first.waitConnected();
    await page.keyboard.press('Alt+Digit1');
    await expect(tabs.nth(0)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Alt+Shift+ArrowRight');
    await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Alt+Shift+ArrowLeft');
    await expect(tabs.nth(0)).toHaveAttribute('aria-selected', 'true');
    await first.waitConnected();
    await page.keyboard.press('Alt+Digit1'); // the tab already shown: nothing to switch, still not for the shell

    const word = `clean-${randomBytes(4).toString('hex')}`;
    await first.type(`${word}\n`);
    await expect(first.printed(word)).toHaveCount(2); // the TTY's echo of the line, and cat's copy of it
    await expect(first.region).not.toContainText('^[');

    await page.keyboard.press('Alt+Shift+KeyW');
    await expect(tabs).toHaveCount(1);
    await first.close();
  });

  test('the terminal is light or dark with the system, and switches when the system does', async ({ page, runContainer }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    const terminal = await openShell(page, runContainer, 'e2e-theme');
    await expect.poll(() => terminal.paintedBackground()).toBe('rgb(255, 255, 255)');

    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => terminal.paintedBackground()).toBe('rgb(15, 23, 32)');

    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => terminal.paintedBackground()).toBe('rgb(255, 255, 255)');
    await terminal.close();
  });
});
