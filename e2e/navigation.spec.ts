/**
 * Navigation and the command palette, driven without a mouse: every place has an address, Back and
 * Forward move between places (keys and header buttons), a reload keeps the place, the sidebar always
 * leads to its list, and the palette runs actions by name.
 */
import { expect, test } from '@playwright/test';
import { BUSYBOX_IMAGE, docker, isRunning, uniqueName } from './docker-cli.js';
import { NavigationPage } from './pages/navigation-page.js';

async function runSleeper(prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  // sleep as PID 1 ignores SIGTERM; a short stop timeout keeps Stop quick.
  await docker('run', '-d', '--name', name, '--stop-timeout', '1', BUSYBOX_IMAGE, 'sleep', '3600');
  return name;
}

test.describe('Navigation and the command palette', () => {
  test('stops a container chosen by part of its name, and the focus returns where it was', async ({ page }) => {
    const name = await runSleeper('nav-stop');
    const berth = new NavigationPage(page);
    await berth.open();
    await expect(berth.state(name)).toHaveText('running');

    const filter = page.getByLabel('Filter containers');
    await filter.focus();
    await berth.runCommand(name.slice(-8), `Stop ${name}`);
    await expect.poll(() => isRunning(name), { timeout: 15_000 }).toBe(false);
    await expect(berth.state(name)).toHaveText('exited');
    await expect(berth.note(`Stopped ${name}.`)).toBeVisible();
    await expect(filter).toBeFocused();

    // Escape closes it too, and the focus comes back again.
    await berth.openPalette();
    await page.keyboard.press('Escape');
    await expect(berth.palette).toHaveCount(0);
    await expect(filter).toBeFocused();
    await docker('rm', '-f', name);
  });

  test('goes to views by the palette, back and forward by Alt-arrows and the header, and a reload keeps the place', async ({
    page,
  }) => {
    const berth = new NavigationPage(page);
    await berth.open();
    expect(await berth.address()).toBe('#/containers');

    await berth.runCommand('images', 'Go to Images');
    await expect(berth.heading('Images')).toBeVisible();
    expect(await berth.address()).toBe('#/images');
    await berth.runCommand('vol', 'Go to Volumes');
    await expect(berth.heading('Volumes')).toBeVisible();
    expect(await berth.address()).toBe('#/volumes');

    await page.keyboard.press('Alt+ArrowLeft');
    await expect(berth.heading('Images')).toBeVisible();
    await page.keyboard.press('Alt+ArrowLeft');
    await expect(berth.heading('Containers')).toBeVisible();
    await page.keyboard.press('Alt+ArrowRight');
    await expect(berth.heading('Images')).toBeVisible();
    expect(await berth.address()).toBe('#/images');

    await berth.pressHeaderButton('Forward');
    await expect(berth.heading('Volumes')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Forward', exact: true })).toBeDisabled();
    await berth.pressHeaderButton('Back');
    await expect(berth.heading('Images')).toBeVisible();

    await page.reload();
    await expect(berth.heading('Images')).toBeVisible();
    expect(await berth.address()).toBe('#/images');
    // The history survives the reload: both ways are still there.
    await berth.pressHeaderButton('Forward');
    await expect(berth.heading('Volumes')).toBeVisible();
    await berth.pressHeaderButton('Back');
    await berth.pressHeaderButton('Back');
    await expect(berth.heading('Containers')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Back', exact: true })).toBeDisabled();
  });

  test("a container's tab has an address that a reload keeps, and the sidebar's Containers leaves the detail", async ({
    page,
  }) => {
    const name = await runSleeper('nav-tab');
    const berth = new NavigationPage(page);
    await berth.open();
    await expect(berth.row(name)).toBeVisible();

    await berth.runCommand(`stats ${name.slice(-8)}`, `Show stats of ${name}`);
    await expect(berth.heading(name)).toBeVisible();
    await expect(berth.tab('Stats')).toHaveAttribute('aria-selected', 'true');
    expect(await berth.address()).toBe(`#/containers/${name}/stats`);

    // The tabs by arrow key: each tab is a place of its own.
    await berth.tab('Stats').focus();
    await page.keyboard.press('ArrowRight');
    await expect(berth.tab('Files')).toHaveAttribute('aria-selected', 'true');
    expect(await berth.address()).toBe(`#/containers/${name}/files`);
    await page.reload();
    await expect(berth.heading(name)).toBeVisible();
    await expect(berth.tab('Files')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Alt+ArrowLeft');
    await expect(berth.tab('Stats')).toHaveAttribute('aria-selected', 'true');
    // Alt-← on a tab is Back too (not the tab to its left).
    await berth.tab('Stats').focus();
    await page.keyboard.press('Alt+ArrowLeft');
    await expect(berth.table).toBeVisible();
    await page.keyboard.press('Alt+ArrowRight');
    await expect(berth.tab('Stats')).toHaveAttribute('aria-selected', 'true');

    await berth.pressSidebar('Containers');
    await expect(berth.table).toBeVisible();
    expect(await berth.address()).toBe('#/containers');

    // Not even a detail left open, another view visited and Containers chosen again keeps it.
    await berth.runCommand(`logs ${name.slice(-8)}`, `Show logs of ${name}`);
    await expect(berth.tab('Logs')).toHaveAttribute('aria-selected', 'true');
    await berth.pressSidebar('Images');
    await expect(berth.heading('Images')).toBeVisible();
    await berth.pressSidebar('Containers');
    await expect(berth.table).toBeVisible();
    await docker('rm', '-f', name);
  });

  test('the address of a container that is gone, or of no page, leads to the list with a note', async ({ page }) => {
    const name = await runSleeper('nav-gone');
    const berth = new NavigationPage(page);
    await berth.open();
    await expect(berth.row(name)).toBeVisible();

    // Removed while its detail is open.
    await berth.goTo(`#/containers/${name}/inspect`);
    await expect(berth.heading(name)).toBeVisible();
    await docker('rm', '-f', name);
    await expect(berth.table).toBeVisible();
    await expect(berth.note(`No container "${name}" exists`)).toBeVisible();
    expect(await berth.address()).toBe('#/containers');

    // Its address typed in again, and loaded afresh.
    await berth.goTo(`#/containers/${name}/logs`);
    await expect(berth.note(`No container "${name}" exists`)).toHaveCount(2);
    await page.reload();
    await expect(berth.table).toBeVisible();
    expect(await berth.address()).toBe('#/containers');

    // An id prefix (as `docker ps` shows it) is taken too, and the address then names the container.
    const renamed = await runSleeper('nav-old');
    await expect(berth.row(renamed)).toBeVisible();
    const shortId = (await docker('inspect', '-f', '{{.Id}}', renamed)).slice(0, 12);
    await berth.goTo(`#/containers/${shortId}/stats`);
    await expect(berth.heading(renamed)).toBeVisible();
    await expect.poll(() => berth.address()).toBe(`#/containers/${renamed}/stats`);
    // Renamed while shown: the detail follows the container, and the address its new name.
    await docker('rename', renamed, `${renamed}-new`);
    await expect(berth.heading(`${renamed}-new`)).toBeVisible();
    await expect.poll(() => berth.address()).toBe(`#/containers/${renamed}-new/stats`);
    await docker('rm', '-f', `${renamed}-new`);

    await berth.goTo('#/nowhere');
    await expect(berth.note('Berth has no page at #/nowhere: showing the containers.')).toBeVisible();
    await expect(berth.table).toBeVisible();
    expect(await berth.address()).toBe('#/containers');
  });

  test('a query that matches nothing says so; Remove and Pull open their dialogs', async ({ page }) => {
    const name = await runSleeper('nav-rm');
    const berth = new NavigationPage(page);
    await berth.open();
    await expect(berth.row(name)).toBeVisible();

    await berth.openPalette();
    await page.keyboard.type('st');
    await expect(berth.option(`Stop ${name}`)).toBeVisible();
    await berth.saveScreenshot('command-palette');
    await page.keyboard.press('Escape');

    await berth.openPalette();
    await page.keyboard.type('zzqqxx');
    await expect(berth.palette.getByRole('status')).toHaveText(/^No command matches “zzqqxx”/);
    await expect(berth.palette.getByRole('option')).toHaveCount(0);
    await page.keyboard.press('Enter');
    await expect(berth.palette).toBeVisible();
    await page.keyboard.press('Escape');

    await berth.runCommand('pull', 'Pull an image…');
    const pull = page.getByRole('dialog', { name: 'Pull an image' });
    await expect(pull).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(pull).toHaveCount(0);

    // Remove keeps its confirmation: Escape keeps the container, Enter removes it.
    await berth.runCommand(`remove ${name.slice(-8)}`, `Remove ${name}…`);
    const confirm = page.getByRole('dialog', { name: `Remove container ${name}?` });
    await expect(confirm).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(confirm).toHaveCount(0);
    await expect(berth.row(name)).toBeVisible();
    await berth.runCommand(`remove ${name.slice(-8)}`, `Remove ${name}…`);
    await expect(confirm.getByRole('button', { name: 'Remove', exact: true })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(berth.row(name)).toHaveCount(0, { timeout: 15_000 });
  });
});
