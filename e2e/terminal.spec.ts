import { randomBytes } from 'node:crypto';
import { BUSYBOX_IMAGE, docker, isRunning, NO_SHELL_IMAGE, shellsIn } from './docker-cli.js';
import { ContainersPage, TerminalPanel } from './pages/berth-page.js';
import { expect, test, wordAndCommand } from './terminal-fixtures.js';

test.describe('Terminal', () => {
  test('runs a command in a shell, follows resizes, and leaves no shell behind when closed', async ({ page, runContainer }) => {
    const name = await runContainer('e2e-term', BUSYBOX_IMAGE, 'sleep', '3600');
    const containers = new ContainersPage(page);
    await containers.open();

    await containers.clickRowAction(name, 'Open terminal in');
    const terminal = new TerminalPanel(page, name);
    await terminal.waitConnected();
    await expect(terminal.tab()).toHaveText(`${name}: /bin/sh`);
    const [marker, echo] = wordAndCommand('berth-');
    await terminal.type(echo);
    await expect(terminal.region).toContainText(marker);
    expect(await shellsIn(name)).toHaveLength(1);
    await containers.saveScreenshot('terminal');

    // The terminal's size reaches the shell: stty reports what xterm fits into the panel.
    await terminal.type('stty size\n');
    await expect(terminal.region).toContainText(/\n?\d+ \d+/);
    const before = await terminal.region.innerText();
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
  });

  test('two tabs in two containers survive switching tabs and leaving the page, with their scrollback', async ({
    page,
    runContainer,
  }) => {
    const first = await runContainer('e2e-tab-a', BUSYBOX_IMAGE, 'sleep', '3600');
    const second = await runContainer('e2e-tab-b', BUSYBOX_IMAGE, 'sleep', '3600');
    const containers = new ContainersPage(page);
    await containers.open();
    const [a, b] = [new TerminalPanel(page, first), new TerminalPanel(page, second)];

    await containers.clickRowAction(first, 'Open terminal in');
    await a.waitConnected();
    const [wordA, echoA] = wordAndCommand('alpha-');
    await a.type(echoA);
    await expect(a.region).toContainText(wordA);

    await containers.clickRowAction(second, 'Open terminal in');
    await b.waitConnected();
    const [wordB, echoB] = wordAndCommand('bravo-');
    await b.type(echoB);
    await expect(b.region).toContainText(wordB);

    // Back to the first tab: the same session (no new shell), its output replayed.
    await a.activate();
    await expect(a.region).toContainText(wordA);
    expect(await shellsIn(first)).toHaveLength(1);

    // Leave Berth for another page and come back: the tabs return with their scrollback.
    await page.goto('about:blank');
    await containers.open();
    await expect(a.tab()).toBeVisible({ timeout: 10_000 });
    await expect(b.tab()).toBeVisible();
    await a.activate();
    await expect(a.region).toContainText(wordA);
    await b.activate();
    await expect(b.region).toContainText(wordB);
    await b.waitConnected();
    const [again] = wordAndCommand('charlie-');
    await b.type(`echo ${again.slice(0, 4)}""${again.slice(4)}\n`);
    await expect(b.region).toContainText(again);
    expect(await shellsIn(first)).toHaveLength(1);
    expect(await shellsIn(second)).toHaveLength(1);

    // Keyboard: Alt-Shift-W closes the active tab (the second container's).
    await page.keyboard.press('Alt+Shift+W');
    await expect(b.tab()).toHaveCount(0);
    await a.close();
  });

  test('a container restart ends the session visibly, and Reconnect opens a new shell', async ({ page, runContainer }) => {
    const name = await runContainer('e2e-restart', BUSYBOX_IMAGE, 'sleep', '3600');
    const containers = new ContainersPage(page);
    await containers.open();
    await containers.clickRowAction(name, 'Open terminal in');
    const terminal = new TerminalPanel(page, name);
    await terminal.waitConnected();

    await docker('restart', '-t', '0', name);
    await terminal.waitEnded(new RegExp(`^Session ended\\. Container ${name} (restarted|stopped)`));
    await page.getByRole('button', { name: 'Reconnect' }).click();
    await terminal.waitConnected();
    const [word, echo] = wordAndCommand('after-');
    await terminal.type(echo);
    await expect(terminal.region).toContainText(word);
    expect(await shellsIn(name)).toHaveLength(1);
    await terminal.close();
  });

  test('attaches to the main process TTY, and detaching leaves the container running', async ({ page, runContainer }) => {
    const name = await runContainer('e2e-attach', '-it', BUSYBOX_IMAGE, 'sh');
    const helper = await runContainer('e2e-attach-from', BUSYBOX_IMAGE, 'sleep', '3600');
    const containers = new ContainersPage(page);
    await containers.open();
    await containers.clickRowAction(helper, 'Open terminal in');
    const terminal = new TerminalPanel(page, name);
    await new TerminalPanel(page, helper).waitConnected();
    await terminal.openNew({ container: name, kind: 'Attach to main process' });
    await terminal.waitConnected();
    await expect(terminal.tab()).toHaveText(`${name}: attached`);
    const [word, echo] = wordAndCommand('main-');
    await terminal.type(echo);
    await expect(terminal.region).toContainText(word);

    await page.keyboard.press('Control+p');
    await page.keyboard.press('Control+q');
    await terminal.waitEnded(/^Session ended\. Detached from .*; the container keeps running\.$/);
    expect(await isRunning(name)).toBe(true);
    expect(await shellsIn(name)).toHaveLength(1); // only its own main shell
    await terminal.close();
    await new TerminalPanel(page, helper).close();
  });

  test('search finds a word in the scrollback', async ({ page, runContainer }) => {
    const name = await runContainer('e2e-search', BUSYBOX_IMAGE, 'sleep', '3600');
    const containers = new ContainersPage(page);
    await containers.open();
    await containers.clickRowAction(name, 'Open terminal in');
    const terminal = new TerminalPanel(page, name);
    await terminal.waitConnected();
    const [word, echo] = wordAndCommand('needle-');
    await terminal.type(echo);
    await terminal.type('seq 1 400\n'); // pushes the word out of view, into the scrollback
    await expect(terminal.region).toContainText('400');
    await expect(await terminal.search(word)).toHaveText('Found');
    await expect(await terminal.search(`absent-${randomBytes(4).toString('hex')}`)).toHaveText('No match');
    await terminal.close();
  });

  test('a container without a shell says so, and a debug shell gets into it (then its helper goes)', async ({
    page,
    runContainer,
  }) => {
    const name = await runContainer('e2e-noshell', NO_SHELL_IMAGE);
    const containers = new ContainersPage(page);
    await containers.open();
    await containers.clickRowAction(name, 'Open terminal in');
    await expect(containers.alert(`Container ${name} has no shell to open`)).toBeVisible({ timeout: 15_000 });

    await page.getByRole('button', { name: 'Open a debug shell' }).click();
    const terminal = new TerminalPanel(page, name);
    await terminal.waitConnected();
    await expect(page.getByText(/has no shell, so a helper container .* shares its processes and network/)).toBeVisible();
    await terminal.type('ps -o pid,args | grep "sleep 36[0]0"; ls /proc/1/root\n');
    await expect(terminal.region).toContainText('/busybox sleep 3600');
    await expect.poll(() => docker('ps', '-q', '--filter', 'label=dev.berth.debug-for')).not.toBe('');
    await terminal.close();
    await expect.poll(() => docker('ps', '-aq', '--filter', 'label=dev.berth.debug-for'), { timeout: 10_000 }).toBe('');
  });

  test('bad input gets specific messages: an unknown user, a shell that does not exist', async ({ page, runContainer }) => {
    const name = await runContainer('e2e-badinput', BUSYBOX_IMAGE, 'sleep', '3600');
    const containers = new ContainersPage(page);
    await containers.open();
    await containers.clickRowAction(name, 'Open terminal in');
    const terminal = new TerminalPanel(page, name);
    await terminal.waitConnected();
    await terminal.openNew({ container: name, kind: 'New shell', user: 'nobody2' });
    await expect(containers.alert(`User "nobody2" does not exist in container ${name}.`)).toBeVisible({ timeout: 15_000 });
    await page.keyboard.press('Alt+Shift+W');
    await terminal.openNew({ container: name, kind: 'New shell', shell: '/bin/zsh' });
    await expect(containers.alert(`/bin/zsh does not exist in container ${name}`)).toBeVisible({ timeout: 15_000 });
    await page.keyboard.press('Alt+Shift+W');
    await terminal.close();
  });
});
