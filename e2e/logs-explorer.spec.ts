/**
 * Logs across containers: open the Logs view from the palette, see the lines of two containers of a
 * compose project interleaved by time with each container's name, filter to one, search by regular
 * expression (an invalid one explained), and follow a new line.
 */
import { expect, test } from '@playwright/test';
import { BUSYBOX_IMAGE, docker, uniqueName } from './docker-cli.js';
import { LogsPage } from './pages/logs-page.js';

test.describe('Logs across containers', () => {
  test('interleaves two containers by time, filters to one, searches, and follows a new line', async ({ page }) => {
    const project = uniqueName('explore');
    const alpha = `${project}-alpha`;
    const bravo = `${project}-bravo`;
    // Both start writing in the same second, bravo a beat after alpha, so their lines alternate.
    const startAt = Math.ceil(Date.now() / 1000) + 3;
    const script = (word: string, delay: number, live: string) =>
      `while [ $(date +%s) -lt ${startAt} ]; do usleep 10000; done; usleep ${delay}; ` +
      `for i in 1 2 3 4; do echo ${word}-$i; usleep 300000; done; ` +
      `while [ ! -e /tmp/go ]; do usleep 50000; done; echo ${live}; sleep 3600`;
    for (const [name, word, delay] of [
      [alpha, 'alpha', 0],
      [bravo, 'bravo', 150_000],
    ] as const) {
      await docker(
        'run',
        '-d',
        '--name',
        name,
        '--stop-timeout',
        '1',
        '--label',
        `com.docker.compose.project=${project}`,
        BUSYBOX_IMAGE,
        'sh',
        '-c',
        script(word, delay, `${word}-live`),
      );
    }
    await expect.poll(async () => (await docker('logs', bravo)).split('\n').length, { timeout: 20_000 }).toBe(4);

    const berth = new LogsPage(page);
    await berth.open();
    await berth.runCommand('open logs', 'Open logs');
    await expect(berth.heading('Logs')).toBeVisible();
    expect(await berth.address()).toBe('#/logs');
    await berth.chooseProject(project);

    const interleaved = ['alpha-1', 'bravo-1', 'alpha-2', 'bravo-2', 'alpha-3', 'bravo-3', 'alpha-4', 'bravo-4'];
    await expect.poll(() => berth.lineTexts(/^(alpha|bravo)-\d$/)).toEqual(interleaved);
    // Each line names its container: colour is never the only cue.
    const rows = await berth.rows();
    expect(rows.find((row) => row.endsWith('bravo-2'))).toContain(bravo);
    expect(rows.find((row) => row.endsWith('alpha-2'))).toContain(alpha);
    await expect(berth.status).toContainText('8 lines from 2 containers');
    await berth.saveScreenshot('logs-explorer');

    // Search by regular expression, with next and previous.
    await berth.searchText.fill('bravo-[24]');
    await expect(berth.searchResult).toHaveText('1 of 2');
    await berth.saveScreenshot('logs-explorer-search');
    await expect(berth.log.getByText('bravo-2', { exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Next match' }).click();
    await expect(berth.searchResult).toHaveText('2 of 2');
    await page.getByRole('button', { name: 'Previous match' }).click();
    await expect(berth.searchResult).toHaveText('1 of 2');
    // An expression that does not compile is explained, and the lines stay.
    await berth.searchText.fill('bravo-(');
    await expect(berth.searchProblem).toContainText('"bravo-(" is not a valid regular expression (Unterminated group)');
    await expect.poll(() => berth.lineTexts(/^(alpha|bravo)-\d$/)).toEqual(interleaved);
    await berth.searchText.fill('');
    await expect(berth.searchProblem).toHaveCount(0);

    // Filter to one container.
    await berth.chooseContainer(alpha);
    await expect.poll(() => berth.lineTexts(/^(alpha|bravo)-\d$/)).toEqual(['alpha-1', 'alpha-2', 'alpha-3', 'alpha-4']);

    // Follow: a new line appears at the bottom.
    await page.getByRole('checkbox', { name: 'Follow' }).check();
    await docker('exec', alpha, 'touch', '/tmp/go');
    await expect(berth.log.getByText('alpha-live', { exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(berth.status).toContainText('following');

    await docker('rm', '-f', alpha, bravo);
  });
});
