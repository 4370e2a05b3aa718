/**
 * The UI entries of the bad-input catalogue (app/testing/bad-input-catalogue.ts), as a person meets
 * them: each typed into its dialog or form in Chromium, and its catalogued message shown as an alert.
 * Images, Run, Volumes and the engine list use the run's Berth; VM settings a Berth on its own VM,
 * not started (the settings file says so), since only a VM has them.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { BAD_INPUTS } from '../app/testing/bad-input-catalogue.js';
import { messagePattern } from '../app/testing/bad-input-message.js';
import { BerthPage } from './pages/berth-page.js';
import { ImagesPage } from './pages/images-page.js';
import { qemuPidsUnder, runVmBerth } from './vm-berth.js';

/** Gives one entry's input as a person would; returns where its message must show. */
type Step = (page: Page, vmBerthUrl: () => Promise<string>) => Promise<Locator>;

async function runDialog(page: Page): Promise<ImagesPage> {
  const images = new ImagesPage(page);
  await images.open();
  await images.showView('Images');
  await images.openTool('Run…');
  await images.dialog
    .getByRole('form', { name: 'Run container' })
    .getByRole('textbox', { name: 'Image' })
    .fill('berth-test/busybox');
  return images;
}

async function saveVmSettings(page: Page, vmBerthUrl: () => Promise<string>, label: string, value: string): Promise<Locator> {
  await page.goto(await vmBerthUrl());
  await new BerthPage(page).showView('Engine');
  const form = page.getByRole('form', { name: 'VM settings' });
  await form.getByLabel(label).fill(value);
  await form.getByRole('button', { name: 'Save settings' }).click();
  return form.getByRole('alert');
}

const STEPS: Record<string, Step> = {
  'ui-pull-uppercase': async (page) => {
    const images = new ImagesPage(page);
    await images.open();
    await images.showView('Images');
    await images.pull('Not/Valid');
    return images.dialog.getByRole('alert');
  },
  'ui-run-host-port': async (page) => {
    const images = await runDialog(page);
    await images.run({ name: 'bad-input-port', port: { host: 99999, container: 80 } });
    return images.dialog.getByRole('alert');
  },
  'ui-run-name': async (page) => {
    const images = await runDialog(page);
    await images.run({ name: '-web' });
    return images.dialog.getByRole('alert');
  },
  'ui-volume-name': async (page) => {
    const berth = new BerthPage(page);
    await berth.open();
    await berth.showView('Volumes');
    await page.getByLabel('Volume name').fill('a');
    await page.getByRole('button', { name: 'Create volume' }).click();
    return page.getByRole('alert');
  },
  'ui-engine-address': async (page) => {
    const berth = new BerthPage(page);
    await berth.open();
    await berth.showView('Engine');
    const form = page.getByRole('form', { name: 'Add engine' });
    await form.getByLabel('Engine name').fill('build');
    await form.getByLabel('Engine address').fill('ftp://build-host');
    await form.getByRole('button', { name: 'Add engine' }).click();
    return form.getByRole('alert');
  },
  'ui-settings-cpus': (page, vmBerthUrl) => saveVmSettings(page, vmBerthUrl, 'CPUs', '256'),
  'ui-settings-cpus-fraction': (page, vmBerthUrl) => saveVmSettings(page, vmBerthUrl, 'CPUs', '1.5'),
  'ui-settings-relative-folder': (page, vmBerthUrl) =>
    saveVmSettings(page, vmBerthUrl, 'Shared folders (one per line)', 'projects'),
};

const values = { maxCpus: availableParallelism() };
const entries = BAD_INPUTS.filter((entry) => entry.surface === 'UI');

let vmBerth: { berth: ChildProcess; url: string; stateHome: string } | null = null;

/** A Berth on its own VM, started on first use only; the VM itself is never started. */
async function vmBerthUrl(): Promise<string> {
  if (!vmBerth) {
    const stateHome = mkdtempSync(join(tmpdir(), 'berth-e2e-bad-inputs-'));
    mkdirSync(join(stateHome, 'berth'), { mode: 0o700 });
    writeFileSync(join(stateHome, 'berth', 'settings.json'), JSON.stringify({ 'vm.startOnLaunch': false }));
    vmBerth = { ...(await runVmBerth(stateHome)), stateHome };
  }
  return vmBerth.url;
}

test.afterAll(async () => {
  if (!vmBerth) return;
  const { berth, stateHome } = vmBerth;
  if (berth.exitCode === null) {
    berth.kill('SIGTERM');
    await new Promise((resolve) => berth.once('exit', resolve));
  }
  for (const pid of await qemuPidsUnder(stateHome)) process.kill(pid, 'SIGKILL');
  rmSync(stateHome, { recursive: true, force: true });
});

test('every UI entry of the catalogue has a step here, and every step an entry', () => {
  expect(Object.keys(STEPS).sort()).toEqual(entries.map((entry) => entry.id).sort());
});

for (const entry of entries) {
  test(`${entry.id}: ${entry.input}`, async ({ page }) => {
    const step = STEPS[entry.id];
    test.skip(!step, 'no step (the test above fails)');
    const shown = await step!(page, vmBerthUrl);
    await expect(shown).toHaveText(messagePattern(entry.message, values));
    await page.screenshot({ path: join(tmpdir(), `berth-bad-input-${entry.id}.png`) });
  });
}
