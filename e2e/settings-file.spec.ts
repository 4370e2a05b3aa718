/**
 * Settings as code, as a person meets them: Berth on its own VM (not started: the settings file says so),
 * the Engine view following edits of the settings file, a key the administrator locked shown disabled
 * with its reason, a broken file named with its line, and Save diagnostics offering the archive.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { BerthPage } from './pages/berth-page.js';
import { qemuPidsUnder, runVmBerth } from './vm-berth.js';

test.describe.configure({ mode: 'serial' });

let berth: ChildProcess;
let url: string;
let stateHome: string;
let settingsFile: string;

test.beforeAll(async () => {
  stateHome = mkdtempSync(join(tmpdir(), 'berth-e2e-settings-'));
  mkdirSync(join(stateHome, 'berth'), { mode: 0o700 });
  settingsFile = join(stateHome, 'berth', 'settings.json');
  writeFileSync(settingsFile, JSON.stringify({ 'vm.startOnLaunch': false, 'vm.cpus': 1 }, null, 2));
  const lockedFile = join(stateHome, 'locked-settings.json');
  writeFileSync(lockedFile, JSON.stringify({ 'vm.memoryMiB': 1024 }));
  ({ berth, url } = await runVmBerth(stateHome, { env: { BERTH_LOCKED_SETTINGS_FILE: lockedFile } }));
});

test.afterAll(async () => {
  if (berth.exitCode === null) {
    berth.kill('SIGTERM');
    await new Promise((resolve) => berth.once('exit', resolve));
  }
  for (const pid of await qemuPidsUnder(stateHome)) process.kill(pid, 'SIGKILL');
  rmSync(stateHome, { recursive: true, force: true });
});

test('the Engine view follows the settings file and shows what the administrator locked', async ({ page }) => {
  await page.goto(url);
  await new BerthPage(page).showView('Engine');
  const form = page.getByRole('form', { name: 'VM settings' });
  const cpus = form.getByLabel('CPUs');
  await expect(cpus).toHaveValue('1');
  await expect(form.getByText(settingsFile)).toBeVisible();

  const memory = form.getByLabel('Memory (MiB)');
  await expect(memory).toHaveValue('1024');
  await expect(memory).toBeDisabled();
  await expect(memory).toHaveAccessibleDescription(/Locked by your administrator/);
  await expect(cpus).toBeEnabled();

  // An edit of the file while Berth runs: the form shows it, no reload.
  writeFileSync(settingsFile, JSON.stringify({ 'vm.startOnLaunch': false, 'vm.cpus': 2 }, null, 2));
  await expect(cpus).toHaveValue('2');

  // A broken edit: the last good settings stay, the problem names the file and the line.
  writeFileSync(settingsFile, '{\n  "vm.cpus": 1,,\n}\n');
  await expect(form.getByRole('alert')).toContainText(`${settingsFile} line 2 is not valid JSON`);
  await expect(cpus).toHaveValue('2');

  // Fixed again: the problem goes away and the value applies.
  writeFileSync(settingsFile, JSON.stringify({ 'vm.startOnLaunch': false, 'vm.cpus': 1 }, null, 2));
  await expect(cpus).toHaveValue('1');
  await expect(form.getByRole('alert')).toHaveCount(0);
  await page.screenshot({ path: join(tmpdir(), 'berth-settings-form.png'), fullPage: true });
});

test('Save diagnostics writes the archive, shows its path and offers it as a download', async ({ page }) => {
  await page.goto(url);
  await new BerthPage(page).showView('Engine');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save diagnostics' }).click();
  expect((await download).suggestedFilename()).toMatch(/^berth-diagnostics-\d{8}-\d{6}\.tar\.gz$/);
  const status = page.getByRole('status').filter({ hasText: 'Saved diagnostics' });
  await expect(status).toContainText(join(stateHome, 'berth', 'diagnostics', 'berth-diagnostics-'));
  await page.screenshot({ path: join(tmpdir(), 'berth-diagnostics.png'), fullPage: true });
});
