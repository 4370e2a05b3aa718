/**
 * Notifications and compose files, as a person uses them: turn notifications on in the Engine view
 * (the browser's permission granted by Playwright; notifications recorded by wrapping
 * window.Notification), a container dies with exit 3 while the page shows another view and a
 * notification names it, clicking it opens the container; "Open compose file…" brings a two-service
 * project up, it shows grouped, and Down removes it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { NotificationRecorder } from './notification-recorder.js';
import { BUSYBOX_IMAGE, docker, uniqueName } from './docker-cli.js';
import { ContainersPage } from './pages/berth-page.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-e2e-compose-'));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a container that dies with exit 3 while another view shows is notified, and the notice opens it', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['notifications']);
  const notifications = new NotificationRecorder(page);
  await notifications.install();
  const berth = new ContainersPage(page);
  await berth.open();
  await berth.showView('Engine');
  const toggle = page.getByRole('checkbox', { name: /Notify me when a container dies unexpectedly/ });
  await toggle.check();
  await expect(toggle).toBeChecked();

  const name = uniqueName('e2e-dies');
  const stopped = uniqueName('e2e-stopped');
  await docker('run', '-d', '--name', stopped, BUSYBOX_IMAGE, 'sleep', '3600');
  await docker('stop', '-t', '0', stopped); // a stop someone asked for: no notification
  await docker('run', '-d', '--name', name, BUSYBOX_IMAGE, 'sh', '-c', 'sleep 1; exit 3');
  try {
    const notices = () => notifications.shown();
    await expect
      .poll(notices, { timeout: 30_000 })
      .toContainEqual({ title: `${name} stopped unexpectedly`, body: 'It exited with code 3.' });
    expect((await notices()).some((notice) => notice.title.startsWith(stopped))).toBe(false);
    await berth.saveScreenshot('notifications-setting');

    await notifications.click(`${name} stopped unexpectedly`);
    await expect(page).toHaveURL(new RegExp(`#/containers/${name}/logs$`));
  } finally {
    await docker('rm', '-f', name, stopped).catch(() => undefined);
  }
});

test('Open compose file… brings a project up grouped, and Down removes it', async ({ page }) => {
  const project = uniqueName('e2e-compose');
  const file = join(dir, 'compose.yaml');
  const service = (name: string) =>
    `  ${name}:\n    image: ${BUSYBOX_IMAGE}\n    pull_policy: never\n    command: ["sleep", "3600"]\n    stop_signal: SIGKILL\n`;
  writeFileSync(file, `services:\n${service('web')}${service('worker')}`);
  const berth = new ContainersPage(page);
  await berth.open();

  await page.getByRole('button', { name: 'Open compose file…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open compose file' });
  await dialog.getByLabel('Compose file (a path on this computer)').fill(join(dir, 'missing.yaml'));
  await dialog.getByRole('button', { name: 'Up' }).click();
  await expect(dialog.getByRole('alert')).toContainText(`There is no file at ${join(dir, 'missing.yaml')}.`);

  await dialog.getByLabel('Compose file (a path on this computer)').fill(file);
  await dialog.getByLabel(/Project name/).fill(project);
  await dialog.getByRole('button', { name: 'Up' }).click();
  await expect(dialog.getByRole('status')).toHaveText(`Project ${project} is up.`, { timeout: 60_000 });
  await expect(dialog.getByRole('list', { name: 'Compose progress' })).toContainText(`Container ${project}-worker-1 Started`);
  await page.screenshot({ path: 'e2e/artifacts/compose-file-dialog.png' });
  await dialog.getByRole('button', { name: 'Close' }).click();

  const group = berth.table.getByRole('row', { name: `Compose project ${project}` });
  await expect(group).toContainText('2 containers', { timeout: 30_000 });
  await berth.saveScreenshot('compose-project-grouped');
  await group.getByRole('button', { name: `Down project ${project}` }).click();
  await expect(group).toHaveCount(0, { timeout: 30_000 });
  expect(await docker('ps', '-a', '-q', '--filter', `label=com.docker.compose.project=${project}`)).toBe('');
});
