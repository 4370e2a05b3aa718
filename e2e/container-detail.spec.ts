import { expect, test } from '@playwright/test';
import { BUSYBOX_IMAGE, docker, uniqueName } from './docker-cli.js';
import { ContainerDetailPage } from './pages/container-detail-page.js';

const created: string[] = [];
const images: string[] = [];

/** A container that logs on stdout and stderr, logs again when /tmp/go appears, and stops at once on SIGTERM. */
const CHATTY =
  'trap "exit 0" TERM; echo first line; echo oops on stderr >&2; while [ ! -e /tmp/go ]; do sleep 0.1; done; echo after go; while true; do sleep 1 & wait; done';

async function run(prefix: string, script: string, extra: string[] = []): Promise<string> {
  const name = uniqueName(prefix);
  created.push(name);
  await docker('run', '-d', '--name', name, ...extra, BUSYBOX_IMAGE, 'sh', '-c', script);
  return name;
}

test.afterEach(async () => {
  for (const name of created.splice(0)) await docker('rm', '-f', name).catch(() => undefined);
  for (const image of images.splice(0)) await docker('rmi', image).catch(() => undefined);
});

test.describe('Container detail', () => {
  test('logs: stdout and stderr told apart, followed live, searched, with timestamps, downloaded', async ({ page }) => {
    const name = await run('e2e-logs', CHATTY);
    const detail = new ContainerDetailPage(page);
    await detail.open();
    await detail.openDetail(name);

    const log = detail.log(name);
    await expect(log.getByText('first line', { exact: true })).toBeVisible();
    const stderrLine = log.getByText('oops on stderr', { exact: true }).locator('..');
    await expect(stderrLine.getByTitle('stderr')).toHaveText('err');
    await expect(log.getByText('first line', { exact: true }).locator('..').getByTitle('stdout')).toHaveText('out');

    await docker('exec', name, 'touch', '/tmp/go');
    await expect(log.getByText('after go', { exact: true })).toBeVisible({ timeout: 5_000 });
    await expect(detail.logStatus).toHaveText(/3 lines · following/);

    const result = await detail.search('OOPS');
    await expect(result).toHaveText('1 of 1');
    // The match is marked: its text stands as an element of its own within the line.
    await expect(log.getByText('oops', { exact: true })).toBeVisible();

    await page.getByRole('checkbox', { name: 'Timestamps' }).check();
    await expect(log.getByText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/).first()).toBeVisible();
    await detail.saveScreenshot('container-logs');

    const download = await detail.download(() => page.getByRole('button', { name: 'Download log' }).click());
    expect(download.name).toBe(`${name}.log`);
    expect(
      download.text
        .split('\n')
        .filter(Boolean)
        .map((line) => line.replace(/^\S+ /, '')),
    ).toEqual(expect.arrayContaining(['first line', 'oops on stderr', 'after go']));
  });

  test('stats: the charts take new readings from the live stream', async ({ page }) => {
    const name = await run('e2e-stats', 'trap "exit 0" TERM; while true; do :; done');
    const detail = new ContainerDetailPage(page);
    await detail.open();
    await detail.openDetail(name);
    await detail.showTab('Stats');
    await expect(detail.chart('CPU')).toBeVisible();
    await expect.poll(() => detail.readings('CPU'), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    const before = await detail.readings('CPU');
    await expect.poll(() => detail.readings('CPU'), { timeout: 15_000 }).toBeGreaterThan(before);
    await expect(detail.chart('Memory')).toHaveAccessibleName(/of .+ limit/);
    await expect(detail.chart('CPU')).toHaveAccessibleName(/CPU: \d+(\.\d+)? % of \d+ CPUs/);
    // The list shows CPU and memory for the running container too.
    await detail.saveScreenshot('container-stats');
    await detail.backToList();
    await expect(detail.row(name).getByRole('cell').nth(4)).toHaveText(/\d+(\.\d+)? %/, { timeout: 15_000 });
  });

  test('commit: an invalid image name is refused with the reason; a valid one makes the image', async ({ page }) => {
    const name = await run('e2e-commit', CHATTY);
    await docker('exec', name, 'sh', '-c', 'echo kept > /marker');
    const reference = `${name}-image:v1`;
    images.push(reference);
    const detail = new ContainerDetailPage(page);
    await detail.open();
    await detail.openDetail(name);

    await detail.action('Commit…');
    await detail.submitDialog('Image name', 'Not Valid', 'Commit');
    await expect(detail.dialog.getByRole('alert')).toHaveText(/Invalid image reference "Not Valid"/);
    await detail.dialog.getByLabel('Message (optional)').fill('from the e2e test');
    await detail.submitDialog('Image name', reference, 'Commit');
    await expect(detail.dialog).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: `Committed ${name} as ${reference}` })).toBeVisible();
    expect(await docker('image', 'inspect', '-f', '{{.Comment}}', reference)).toBe('from the e2e test');
    expect(await docker('run', '--rm', reference, 'cat', '/marker')).toBe('kept');
  });

  test('files: browse into a folder, download a file, upload one', async ({ page }) => {
    const name = await run(
      'e2e-files',
      `mkdir -p /srv/data && echo hello from the container > /srv/data/greeting.txt; ${CHATTY}`,
    );
    const detail = new ContainerDetailPage(page);
    await detail.open();
    await detail.openDetail(name);
    await detail.showTab('Files');

    await detail.files('/').getByRole('button', { name: 'Open srv', exact: true }).click();
    await detail.files('/srv').getByRole('button', { name: 'Open data', exact: true }).click();
    const greeting = detail.files('/srv/data').getByRole('row', { name: 'greeting.txt' });
    await expect(greeting).toContainText('25 B');
    const download = await detail.download(() => greeting.getByRole('button', { name: 'Download greeting.txt' }).click());
    expect(download).toEqual({ name: 'greeting.txt', text: 'hello from the container\n' });

    await page.getByLabel('Upload a file to /srv/data').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('uploaded through Berth\n'),
    });
    await expect(detail.files('/srv/data').getByRole('row', { name: 'notes.txt' })).toBeVisible();
    expect(await docker('exec', name, 'cat', '/srv/data/notes.txt')).toBe('uploaded through Berth');
    await detail.saveScreenshot('container-files');
  });

  test('inspect: the JSON is searchable', async ({ page }) => {
    const name = await run('e2e-inspect', CHATTY, ['--label', 'berth.e2e=inspect-me']);
    const detail = new ContainerDetailPage(page);
    await detail.open();
    await detail.openDetail(name);
    await detail.showTab('Inspect');
    await expect(page.getByLabel(`Inspect data of ${name}`)).toContainText(`"Name": "/${name}"`);
    await expect(await detail.search('inspect-me')).toHaveText('1 of 1');
    await expect(page.getByLabel(`Inspect data of ${name}`).getByText('inspect-me', { exact: true })).toBeVisible();
  });

  test('pause and unpause; kill with a signal; rename refuses a taken name', async ({ page }) => {
    const name = await run('e2e-pause', CHATTY);
    const other = await run('e2e-other', CHATTY);
    const detail = new ContainerDetailPage(page);
    await detail.open();
    await detail.openDetail(name);

    await detail.action('Pause');
    await expect(detail.stateBadge).toHaveText('paused');
    expect(await docker('inspect', '-f', '{{.State.Status}}', name)).toBe('paused');
    await detail.action('Unpause');
    await expect(detail.stateBadge).toHaveText('running');

    await detail.action('Rename…');
    await detail.submitDialog('New name', other, 'Rename');
    await expect(detail.dialog.getByRole('alert')).toHaveText(
      `The name "${other}" is already taken by container ${(await docker('inspect', '-f', '{{.Id}}', other)).slice(0, 12)}. Choose another name.`,
    );
    await detail.dialog.getByRole('button', { name: 'Cancel' }).click();

    await detail.action('Kill…');
    await detail.submitDialog('Signal', 'SIGNOPE', 'Send');
    await expect(detail.dialog.getByRole('alert')).toHaveText(/"SIGNOPE" is not a signal/);
    await detail.submitDialog('Signal', 'SIGKILL', 'Send');
    await expect(detail.stateBadge).toHaveText('exited');
  });
});

test.describe('Containers list: selection and compose projects', () => {
  test('bulk stop of a selection', async ({ page }) => {
    const first = await run('e2e-bulk', CHATTY);
    const second = await run('e2e-bulk', CHATTY);
    const list = new ContainerDetailPage(page);
    await list.open();
    await list.select(first);
    await list.select(second);
    await expect(list.bulkBar).toContainText('2 selected');
    await list.bulkBar.getByRole('button', { name: 'Stop selected' }).click();
    await expect(list.state(first)).toHaveText('exited', { timeout: 15_000 });
    await expect(list.state(second)).toHaveText('exited', { timeout: 15_000 });
    expect(await docker('inspect', '-f', '{{.State.Running}}', first, second)).toBe('false\nfalse');
  });

  test('containers of a compose project are grouped, collapsible, and stopped together', async ({ page }) => {
    const project = uniqueName('e2eproj');
    const labels = (service: string) => [
      '--label',
      `com.docker.compose.project=${project}`,
      '--label',
      `com.docker.compose.service=${service}`,
    ];
    const web = await run('e2e-web', CHATTY, labels('web'));
    const db = await run('e2e-db', CHATTY, labels('db'));
    const list = new ContainerDetailPage(page);
    await list.open();
    const group = list.table.getByRole('row', { name: `Compose project ${project}` });
    await expect(group).toContainText('2 of 2 running');
    await group.getByRole('button', { name: `Collapse ${project}` }).click();
    await expect(list.row(web)).toHaveCount(0);
    await group.getByRole('button', { name: `Expand ${project}` }).click();
    await expect(list.row(db)).toBeVisible();
    await group.getByRole('button', { name: `Stop project ${project}` }).click();
    await expect(group).toContainText('0 of 2 running', { timeout: 15_000 });
  });
});
