/**
 * Images against the real engine and a private registry (BERTH_REGISTRY, started by the global setup):
 * pull with progress, run with a published port reached over HTTP, build with the cache.
 */
import { expect, test } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { createBuildContext, seedRegistryImage } from '../engine/testing/image-fixtures.js';
import { freePort } from '../engine/testing/free-port.js';
import { BUSYBOX_IMAGE, docker, uniqueName } from './docker-cli.js';
import { TerminalPanel } from './pages/berth-page.js';
import { ImagesPage } from './pages/images-page.js';

const registry = () => process.env.BERTH_REGISTRY!;
const imageExists = async (reference: string) => (await docker('images', '-q', reference)) !== '';

test.describe('Images and registries', () => {
  test('pulls from a registry with per-layer progress, and the image appears in the list', async ({ page }) => {
    const reference = `${registry()}/${uniqueName('e2e-pull')}:1`;
    await seedRegistryImage(process.env.BERTH_DOCKER_HOST!, reference, 24 * 1024 * 1024);
    const images = new ImagesPage(page);
    await images.open();
    await images.showView('Images');

    await images.pull(reference);
    await expect(images.progress()).toBeVisible();
    await expect(images.dialog.getByRole('status').filter({ hasText: `Pulled ${reference}.` })).toBeVisible({ timeout: 30_000 });
    await expect(images.progress()).toHaveAttribute('aria-valuenow', '100');
    const layers = images.dialog.getByRole('list', { name: 'Layers' }).getByRole('listitem');
    await expect(layers.filter({ hasText: 'Pull complete' })).toHaveCount(1);
    await expect(layers.filter({ hasText: 'Already exists' })).toHaveCount(1);
    await expect(images.dialog.getByRole('progressbar', { name: /^Layer [0-9a-f]{12}$/ }).first()).toHaveAttribute(
      'aria-valuenow',
      '100',
    );
    await images.saveScreenshot('images-pull');
    await images.close();

    await expect(images.row(reference)).toBeVisible();
    expect(await imageExists(reference)).toBe(true);
    await docker('rmi', reference);
  });

  test('says what is wrong with a reference or an image the registry lacks', async ({ page }) => {
    const images = new ImagesPage(page);
    await images.open();
    await images.showView('Images');
    await images.pull('Not/Valid');
    await expect(images.alert('Invalid image reference "Not/Valid": repository names must be lowercase.')).toBeVisible();
    const ghost = `${registry()}/${uniqueName('ghost')}:1`;
    await images.dialog.getByRole('textbox', { name: 'Image reference' }).fill(ghost);
    await images.dialog.getByRole('button', { name: 'Pull', exact: true }).click();
    await expect(images.alert(`Image ${ghost} was not found in registry ${registry()}.`)).toBeVisible();
  });

  test('runs an image with a published port that answers, and offers to remove a container that could not start', async ({
    page,
  }) => {
    const name = uniqueName('e2e-web');
    const clash = uniqueName('e2e-clash');
    const port = await freePort();
    const command = 'sh -c "echo hello from the run dialog > /tmp/index.html && exec httpd -f -p 80 -h /tmp"';
    const images = new ImagesPage(page);
    await images.open();
    await images.showView('Images');
    try {
      await images
        .row(BUSYBOX_IMAGE)
        .getByRole('button', { name: `Run ${BUSYBOX_IMAGE}` })
        .click();
      await images.run({ name, command, port: { host: port, container: 80 } });
      await expect(images.dialog.getByRole('status').filter({ hasText: `Container ${name} is running.` })).toBeVisible({
        timeout: 20_000,
      });
      await expect(async () => {
        const response = await fetch(`http://127.0.0.1:${port}/`);
        expect((await response.text()).trim()).toBe('hello from the run dialog');
      }).toPass({ timeout: 10_000 });
      await images.close();

      await images
        .row(BUSYBOX_IMAGE)
        .getByRole('button', { name: `Run ${BUSYBOX_IMAGE}` })
        .click();
      await images.run({ name: clash, command, port: { host: port, container: 80 } });
      await expect(
        images.alert(`Port ${port} is already in use by container ${name}. The container ${clash} was created but not started.`),
      ).toBeVisible();
      await images.saveScreenshot('images-run-failed');
      await images.dialog.getByRole('button', { name: `Remove container ${clash}` }).click();
      await expect(images.dialog.getByRole('status').filter({ hasText: `Removed container ${clash}.` })).toBeVisible();
      expect(await docker('ps', '-aq', '--filter', `name=^${clash}$`)).toBe('');

      await images.dialog.getByRole('textbox', { name: 'Environment variables' }).fill('NOT_A_PAIR');
      await images.dialog.getByRole('textbox', { name: 'Container name' }).fill(uniqueName('e2e-env'));
      await images.dialog.getByRole('button', { name: 'Run', exact: true }).click();
      await expect(images.alert('Invalid environment variable "NOT_A_PAIR": write it as KEY=value.')).toBeVisible();
    } finally {
      await docker('rm', '-f', name, clash).catch(() => undefined);
    }
  });

  test('runs with an interactive TTY and opens a terminal attached to the main process', async ({ page }) => {
    const name = uniqueName('e2e-tty');
    const images = new ImagesPage(page);
    await images.open();
    await images.showView('Images');
    try {
      await images
        .row(BUSYBOX_IMAGE)
        .getByRole('button', { name: `Run ${BUSYBOX_IMAGE}` })
        .click();
      await images.dialog.getByRole('checkbox', { name: 'Interactive terminal (TTY)' }).check();
      await images.run({ name, command: 'sh' });
      await expect(images.dialog).toHaveCount(0);
      const terminal = new TerminalPanel(page, name);
      await terminal.waitConnected();
      await expect(terminal.tab()).toHaveText(`${name}: attached`);
      await terminal.type('echo tty-$((6*7))\r');
      await expect(terminal.region).toContainText('tty-42');
      await terminal.close();
    } finally {
      await docker('rm', '-f', name).catch(() => undefined);
    }
  });

  test('tags, shows an image in detail, and prunes dangling images with the space reclaimed', async ({ page }) => {
    const tag = `berth-test/${uniqueName('e2e-tag')}:1`;
    const source = uniqueName('e2e-dangling');
    const images = new ImagesPage(page);
    await images.open();
    await images.showView('Images');
    try {
      await images
        .row(BUSYBOX_IMAGE)
        .getByRole('button', { name: `Tag ${BUSYBOX_IMAGE}` })
        .click();
      await images.dialog.getByRole('textbox', { name: 'New tag' }).fill(tag);
      await images.dialog.getByRole('button', { name: 'Tag', exact: true }).click();
      await expect(images.row(tag)).toBeVisible();

      await images
        .row(tag)
        .getByRole('button', { name: `Details of ${tag}` })
        .click();
      await expect(images.dialog.getByRole('tab', { name: 'History' })).toHaveAttribute('aria-selected', 'true');
      await expect(images.dialog.getByRole('table', { name: 'Layers' }).getByRole('row')).not.toHaveCount(0);
      await images.dialog.getByRole('tab', { name: 'Inspect' }).click();
      await expect(images.dialog.getByRole('tabpanel')).toContainText('"RepoTags"');
      await images.saveScreenshot('images-detail');
      await images.close();

      await docker('run', '--name', source, BUSYBOX_IMAGE, 'sh', '-c', 'head -c 1048576 /dev/urandom > /junk');
      await docker('commit', source);
      await docker('rm', source);
      await expect(images.row('<none>:<none>').first()).toBeVisible();
      await images.openTool('Prune dangling');
      await images.dialog.getByRole('button', { name: 'Prune' }).click();
      await expect(
        page.getByRole('status').filter({ hasText: /Removed \d+ dangling images?, reclaiming [\d.]+ [kMG]?B\./ }),
      ).toBeVisible();
      await expect(images.row('<none>:<none>')).toHaveCount(0);
      expect(await docker('images', '-q', '--filter', 'dangling=true')).toBe('');
    } finally {
      await docker('rm', '-f', source).catch(() => undefined);
      await docker('rmi', tag).catch(() => undefined);
    }
  });

  test('builds from a Dockerfile with a streamed log, uses the cache the second time, and names a syntax error', async ({
    page,
  }) => {
    const tag = `berth-test/${uniqueName('e2e-build')}:1`;
    const context = await createBuildContext(['COPY blob /blob', 'RUN echo built > /built']);
    const images = new ImagesPage(page);
    await images.open();
    await images.showView('Images');
    try {
      await images.openTool('Build…');
      await images.build({ context: context.dir, tag });
      await expect(images.dialog.getByRole('status').filter({ hasText: `as ${tag}.` })).toBeVisible({ timeout: 30_000 });
      await expect(images.buildLog).toContainText('Step 3/3 : RUN echo built > /built');
      await expect(images.buildLog).not.toContainText('Using cache');
      await images.dialog.getByRole('button', { name: 'Build', exact: true }).click();
      await expect(images.buildLog).toContainText('Using cache');
      await expect(images.dialog.getByRole('status').filter({ hasText: `as ${tag}.` })).toBeVisible({ timeout: 30_000 });
      await images.saveScreenshot('images-build');
      await images.close();
      await expect(images.row(tag)).toBeVisible();

      writeFileSync(`${context.dir}/Dockerfile`, `FROM ${BUSYBOX_IMAGE}\nFORM nothing\n`);
      await images.openTool('Build…');
      await images.build({ context: context.dir, tag });
      await expect(images.alert('Dockerfile syntax error: line 2: unknown instruction: FORM')).toBeVisible();
    } finally {
      context.dispose();
      await docker('rmi', tag).catch(() => undefined);
    }
  });
});
