import { expect, test } from '@playwright/test';
import { BUSYBOX_IMAGE, docker, uniqueName } from './docker-cli.js';
import { BerthPage } from './pages/berth-page.js';

test.describe('Images view', () => {
  test('lists images and explains why an image in use cannot be removed', async ({ page }) => {
    // An image of its own (commit makes a new image id) whose only name is this tag.
    const tag = `berth-test/e2e-commit:${uniqueName('t')}`;
    const user = uniqueName('e2e-user');
    const scratch = await docker('create', BUSYBOX_IMAGE, 'true');
    await docker('commit', scratch, tag);
    await docker('rm', scratch);
    await docker('create', '--name', user, tag, 'true');
    const berth = new BerthPage(page);
    await berth.open();
    await berth.showView('Images');
    const images = page.getByRole('table', { name: 'Images' });
    await expect(images.getByRole('row', { name: BUSYBOX_IMAGE })).toBeVisible();
    await expect(images.getByRole('row', { name: tag })).toBeVisible();
    await berth.saveScreenshot('images');

    await images.getByRole('button', { name: `Remove ${tag}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await expect(berth.alert(`Image ${tag} is used by container ${user}`)).toBeVisible();

    await docker('rm', user);
    await images.getByRole('button', { name: `Remove ${tag}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await expect(images.getByRole('row', { name: tag })).toHaveCount(0);
  });
});

test.describe('Volumes view', () => {
  test('creates with validation, lists, and refuses to remove a volume in use', async ({ page }) => {
    const name = uniqueName('e2e-vol');
    const user = uniqueName('e2e-voluser');
    const berth = new BerthPage(page);
    await berth.open();
    await berth.showView('Volumes');
    const volumes = page.getByRole('table', { name: 'Volumes' });

    await page.getByLabel('Volume name').fill('-not valid');
    await page.getByRole('button', { name: 'Create volume' }).click();
    await expect(berth.alert('A volume name starts with a letter or digit')).toBeVisible();

    await page.getByLabel('Volume name').fill(name);
    await page.getByRole('button', { name: 'Create volume' }).click();
    await expect(volumes.getByRole('row', { name })).toBeVisible();
    expect(await docker('volume', 'inspect', '-f', '{{.Name}}', name)).toBe(name);

    await page.getByLabel('Volume name').fill(name);
    await page.getByRole('button', { name: 'Create volume' }).click();
    await expect(berth.alert(`A volume named ${name} already exists`)).toBeVisible();
    await berth.saveScreenshot('volumes');

    await docker('create', '--name', user, '-v', `${name}:/data`, BUSYBOX_IMAGE, 'true');
    await volumes.getByRole('button', { name: `Remove ${name}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await expect(berth.alert(`Volume ${name} is in use by ${user}`)).toBeVisible();

    await docker('rm', user);
    await volumes.getByRole('button', { name: `Remove ${name}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await expect(volumes.getByRole('row', { name })).toHaveCount(0);
  });
});
