import { expect, test } from '@playwright/test';
import { BUSYBOX_IMAGE, docker, isRunning, uniqueName } from './docker-cli.js';
import { ContainersPage } from './pages/berth-page.js';

test.describe('Containers view', () => {
  test('shows a container created with the CLI, stops it from the UI, and drops the row after a CLI rm', async ({ page }) => {
    const name = uniqueName('e2e-web');
    await docker('run', '-d', '--name', name, '-p', '127.0.0.1::80', BUSYBOX_IMAGE, 'httpd', '-f', '-p', '80');
    const containers = new ContainersPage(page);
    await containers.open();

    await expect(containers.row(name)).toBeVisible();
    await expect(containers.state(name)).toHaveText('running');
    const hostPort = (await docker('port', name, '80/tcp')).split(':').pop()!;
    await expect(containers.row(name).getByRole('link', { name: `Open http://localhost:${hostPort}` })).toHaveAttribute(
      'href',
      `http://localhost:${hostPort}`,
    );
    await containers.saveScreenshot('containers');

    await containers.clickRowAction(name, 'Stop');
    await expect.poll(() => isRunning(name), { timeout: 15_000 }).toBe(false);
    await expect(containers.state(name)).toHaveText('exited');

    await docker('rm', name);
    await expect(containers.row(name)).toHaveCount(0, { timeout: 1_000 });
  });

  test('follows CLI start, stop, create and remove within a second, from engine events', async ({ page }) => {
    const name = uniqueName('e2e-cli');
    const containers = new ContainersPage(page);
    await containers.open();

    await docker('create', '--name', name, BUSYBOX_IMAGE, 'sleep', '3600');
    await expect(containers.row(name)).toBeVisible({ timeout: 1_000 });
    await expect(containers.state(name)).toHaveText('created', { timeout: 1_000 });
    await docker('start', name);
    await expect(containers.state(name)).toHaveText('running', { timeout: 1_000 });
    await docker('stop', '-t', '0', name);
    await expect(containers.state(name)).toHaveText('exited', { timeout: 1_000 });
    await docker('rm', name);
    await expect(containers.row(name)).toHaveCount(0, { timeout: 1_000 });
  });

  test('start, restart and remove from the UI; a running container is removed only with force', async ({ page }) => {
    const name = uniqueName('e2e-ui');
    // sleep as PID 1 ignores SIGTERM; a short stop timeout keeps Restart from waiting the default 10 s.
    await docker('create', '--name', name, '--stop-timeout', '1', BUSYBOX_IMAGE, 'sleep', '3600');
    const containers = new ContainersPage(page);
    await containers.open();

    await containers.clickRowAction(name, 'Start');
    await expect.poll(() => isRunning(name)).toBe(true);
    await expect(containers.state(name)).toHaveText('running');
    const startedAt = await docker('inspect', '-f', '{{.State.StartedAt}}', name);
    await containers.clickRowAction(name, 'Restart');
    await expect.poll(() => docker('inspect', '-f', '{{.State.StartedAt}}', name), { timeout: 20_000 }).not.toBe(startedAt);

    // Without force the engine refuses, and the person is told why.
    await containers.clickRowAction(name, 'Remove');
    await containers.confirmRemove({ force: false });
    await expect(containers.alert(`Container ${name} is running`)).toBeVisible();
    expect(await isRunning(name)).toBe(true);

    await containers.clickRowAction(name, 'Remove');
    await containers.confirmRemove({ force: true });
    await expect(containers.row(name)).toHaveCount(0);
    await expect(docker('inspect', name)).rejects.toThrow(/No such/i);
  });

  test('the filter narrows the list by name, image or state', async ({ page }) => {
    const first = uniqueName('e2e-alpha');
    const second = uniqueName('e2e-beta');
    await docker('create', '--name', first, BUSYBOX_IMAGE, 'true');
    await docker('create', '--name', second, BUSYBOX_IMAGE, 'true');
    const containers = new ContainersPage(page);
    await containers.open();
    await containers.filter('e2e-alpha');
    await expect(containers.row(first)).toBeVisible();
    await expect(containers.row(second)).toHaveCount(0);
    await containers.filter('');
    await expect(containers.row(second)).toBeVisible();
    await docker('rm', first, second);
  });
});
