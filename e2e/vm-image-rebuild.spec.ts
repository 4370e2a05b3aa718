/**
 * A damaged VM image, as a person would meet it: Berth says which file is damaged and offers to rebuild
 * it; the rebuild (the same script as `npm run vm:image`, from Debian's packages) replaces the file and
 * the VM starts. Runs on a copy of the image, so the other suites' image is never touched.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { guestArchForHost } from '../vm/qemu/machine-profile.js';
import { BerthPage } from './pages/berth-page.js';
import { qemuPidsUnder, runVmBerth } from './vm-berth.js';

// The image of this computer's CPU (the one Berth boots here).
const IMAGE_DIR = join(import.meta.dirname, '..', 'vm', '.build', 'image', guestArchForHost() ?? 'amd64');

let berth: ChildProcess | undefined;
let stateHome: string;
let imageCopy: string;

test.beforeAll(() => {
  stateHome = mkdtempSync(join(tmpdir(), 'berth-e2e-rebuild-'));
  imageCopy = join(stateHome, 'image');
  // --sparse: rootfs.img is mostly holes; a plain copy would write all of it.
  execFileSync('cp', ['-a', '--sparse=always', IMAGE_DIR, imageCopy]);
});

test.afterAll(async () => {
  if (berth && berth.exitCode === null) {
    berth.kill('SIGTERM');
    await new Promise((resolve) => berth!.once('exit', resolve));
  }
  for (const pid of await qemuPidsUnder(stateHome)) process.kill(pid, 'SIGKILL');
  rmSync(stateHome, { recursive: true, force: true });
});

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

test('a damaged root image is named, rebuilt from the UI, and the VM then starts', async ({ page }) => {
  test.setTimeout(300_000);
  const rootImage = join(imageCopy, 'rootfs.img');
  truncateSync(rootImage, 4 * 1024 * 1024); // as an interrupted copy or a full disk would leave it
  const started = await runVmBerth(stateHome, { imageDir: imageCopy });
  berth = started.berth;
  await page.goto(started.url);

  const berthPage = new BerthPage(page);
  await expect(berthPage.engineStatus).toContainText('VM error', { timeout: 30_000 });
  await berthPage.showView('Engine');
  await expect(berthPage.alert('rootfs.img is damaged')).toContainText('QEMU not started');
  await berthPage.saveScreenshot('engine-vm-image-damaged');

  await page.getByRole('button', { name: 'Rebuild the VM image' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Rebuilding from Debian' })).toBeVisible();
  await expect(berthPage.engineStatus).toContainText('Engine running', { timeout: 240_000 });
  await expect(page.getByLabel('VM state')).toContainText('Running');
  const sums = readFileSync(join(imageCopy, 'SHA256SUMS'), 'utf8');
  expect(sums).toContain(`${sha256(rootImage)}  rootfs.img`);
});
