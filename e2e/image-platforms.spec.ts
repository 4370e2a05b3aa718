/**
 * Image platforms as a person meets them: the list's Platform column, Pull for one platform of a
 * two-platform image on the private registry (BERTH_REGISTRY), and the refusals: a platform the image
 * does not have (named with the ones it has) and text that is not a platform (with the format), in the
 * Pull and Run dialogs. The images are one-file roots with a platform (engine/testing/platform-image.ts);
 * running another architecture's image is the VM's part (vm/vm-emulation.integration.test.ts).
 */
import { expect, test } from '@playwright/test';
import { oneFileRoot, platformImageArchive, seedMultiPlatformImage } from '../engine/testing/platform-image.js';
import { dockerCli } from '../engine/testing/test-images.js';
import { BUSYBOX_IMAGE, docker, uniqueName } from './docker-cli.js';
import { ImagesPage } from './pages/images-page.js';

const FORMAT = 'write it as os/architecture[/variant], for example linux/arm64 or linux/arm/v7.';

test.describe('Image platforms', () => {
  const local = `berth-test/${uniqueName('e2e-arm64')}:1`;
  let multi = '';

  test.beforeAll(async () => {
    const dockerHost = process.env.BERTH_DOCKER_HOST!;
    await dockerCli(dockerHost, ['load'], platformImageArchive(local, 'linux/arm64', oneFileRoot('arm64')));
    multi = await seedMultiPlatformImage(dockerHost, process.env.BERTH_REGISTRY!, uniqueName('e2e-multi'), [
      'linux/amd64',
      'linux/arm64',
    ]);
  });

  test.afterAll(async () => {
    await docker('rmi', '-f', local, multi).catch(() => undefined);
  });

  test('shows each image’s platform, and pulls the platform asked for', async ({ page }) => {
    const images = new ImagesPage(page);
    await images.open();
    await images.showView('Images');
    await expect(images.table.getByRole('columnheader', { name: 'Platform' })).toBeVisible();
    await expect(images.row(local).getByRole('cell', { name: 'linux/arm64', exact: true })).toBeVisible();
    await expect(images.row(BUSYBOX_IMAGE).getByRole('cell', { name: 'linux/amd64', exact: true })).toBeVisible();

    await images.pull(multi, 'linux/arm64');
    await expect(images.dialog.getByRole('status').filter({ hasText: `Pulled ${multi}.` })).toBeVisible({ timeout: 30_000 });
    await images.close();
    await expect(images.row(multi).getByRole('cell', { name: 'linux/arm64', exact: true })).toBeVisible();
    await images.saveScreenshot('images-platform-column');
  });

  test('Pull names the platforms the registry has, and the format of a platform', async ({ page }) => {
    const images = new ImagesPage(page);
    await images.open();
    await images.showView('Images');
    await images.pull(multi, 'linux/s390x');
    await expect(images.alert(`${multi} has no linux/s390x image: the registry has linux/amd64 and linux/arm64.`)).toBeVisible({
      timeout: 30_000,
    });
    await images.saveScreenshot('images-pull-platform-refused');
    await images.dialog.getByRole('combobox', { name: 'Platform' }).fill('arm64');
    await images.dialog.getByRole('button', { name: 'Pull', exact: true }).click();
    await expect(images.alert(`"arm64" is not a platform: ${FORMAT}`)).toBeVisible();
  });

  test('Run names the platform a local image has, and the format of a platform', async ({ page }) => {
    const images = new ImagesPage(page);
    await images.open();
    await images.showView('Images');
    await images
      .row(local)
      .getByRole('button', { name: `Run ${local}` })
      .click();
    await images.run({ name: uniqueName('e2e-platform'), platform: 'linux/amd64' });
    await expect(
      images.alert(
        `The image ${local} has no linux/amd64 variant here: it is linux/arm64 only, and it was not pulled from a registry that could have others.`,
      ),
    ).toBeVisible();
    await images.dialog.getByRole('combobox', { name: 'Platform' }).fill('linux/');
    await images.dialog.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(images.alert(`"linux/" is not a platform: ${FORMAT}`)).toBeVisible();
  });
});
