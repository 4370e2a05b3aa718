import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { createTar } from '../engine/archive/index.js';
import { BUSYBOX_IMAGE, docker, uniqueName } from './docker-cli.js';
import { VolumeTransferPage } from './pages/volume-transfer-page.js';

const volumeExists = async (name: string) => (await docker('volume', 'ls', '-q', '--filter', `name=^${name}$`)) === name;
const statIn = (volume: string) =>
  docker(
    'run',
    '--rm',
    '-v',
    `${volume}:/v`,
    BUSYBOX_IMAGE,
    'sh',
    '-c',
    'cd /v && stat -c "%n %u:%g %a %s %N" . a a/greeting a/empty link b/random.bin',
  );

test.describe('Volume backup and clone', () => {
  const made: string[] = [];
  const newName = (purpose: string) => {
    const name = uniqueName(purpose);
    made.push(name);
    return name;
  };
  test.afterEach(async () => {
    for (const name of made.splice(0)) await docker('volume', 'rm', '-f', name).catch(() => undefined);
  });

  test('exports a volume to a tar, imports it into a new volume and clones it, with progress; refuses a non-tar and a taken name', async ({
    page,
  }) => {
    const source = newName('e2e-vol-src');
    await docker('volume', 'create', source);
    await docker(
      'run',
      '--rm',
      '-v',
      `${source}:/v`,
      BUSYBOX_IMAGE,
      'sh',
      '-c',
      'cd /v && mkdir -p a/empty b && printf hello > a/greeting && chmod 640 a/greeting && chown 1234:5678 a/greeting && ln -s a/greeting link && head -c 3000000 /dev/urandom > b/random.bin && chmod 1750 /v',
    );
    const volumes = new VolumeTransferPage(page);
    await volumes.open();
    await volumes.showView('Volumes');

    const download = await volumes.export(source);
    expect(download.suggestedFilename()).toBe(`${source}.tar`);
    const saved = join(mkdtempSync(join(tmpdir(), 'berth-e2e-export-')), `${source}.tar`);
    await download.saveAs(saved);
    await expect(volumes.transfer(`Exporting ${source}`)).toContainText(`Exported ${source} as ${source}.tar (3.0`);
    expect(readFileSync(saved).length).toBeGreaterThan(3_000_000);

    const restored = newName('e2e-vol-restored');
    await volumes.import(saved, restored);
    await expect(volumes.importDialog).toHaveCount(0);
    const importTitle = `Importing ${source}.tar into ${restored}`;
    await expect(volumes.transfer(importTitle)).toContainText(`Imported ${source}.tar into volume ${restored}.`, {
      timeout: 30_000,
    });
    await expect(volumes.table.getByRole('row', { name: restored, exact: true })).toBeVisible();
    expect(await statIn(restored)).toBe(await statIn(source));

    const notTar = newName('e2e-vol-notes');
    await volumes.import(
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('shopping list\n'.repeat(100)) },
      notTar,
    );
    await expect(volumes.importDialog.getByRole('alert')).toHaveText(
      'This file is not a tar archive: its first 512 bytes are not a tar header (the checksum does not match). Nothing was created.',
    );
    expect(await volumeExists(notTar)).toBe(false);
    await volumes.importDialog.getByLabel('New volume name').fill(source);
    await volumes.importDialog.getByLabel('Tar file').setInputFiles(saved);
    await volumes.importDialog.getByRole('button', { name: 'Import' }).click();
    await expect(volumes.importDialog.getByRole('alert')).toHaveText(
      `A volume named ${source} already exists; import into a new name.`,
    );
    await volumes.importDialog.getByRole('button', { name: 'Cancel' }).click();

    const clone = newName('e2e-vol-clone');
    await volumes.clone(source, clone);
    await expect(volumes.transfer(`Cloning ${source} into ${clone}`)).toContainText(`Cloned ${source} into ${clone}.`, {
      timeout: 30_000,
    });
    expect(await statIn(clone)).toBe(await statIn(source));
    await volumes.saveScreenshot('volume-transfers');
  });

  test('a cancelled import shows where it was and leaves no volume behind', async ({ page }) => {
    // 60 MB in 384 KiB slices, each answered only once the engine took it: long enough to cancel mid-way.
    const big = join(mkdtempSync(join(tmpdir(), 'berth-e2e-import-')), 'big.tar');
    writeFileSync(big, createTar([{ path: 'big.bin', content: randomBytes(60_000_000), mode: 0o644 }]));
    const target = newName('e2e-vol-cancelled');
    const volumes = new VolumeTransferPage(page);
    await volumes.open();
    await volumes.showView('Volumes');
    await volumes.import(big, target);
    const title = `Importing big.tar into ${target}`;
    const bar = volumes.progress(title);
    await expect(bar).toHaveAttribute('aria-valuetext', /^\d+% \([\d.]+ [kM]B of 60 MB\)$/);
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    await expect.poll(() => volumeExists(target)).toBe(true);
    await volumes.saveScreenshot('volume-import-progress');
    await volumes.cancel(title);
    await expect(volumes.transfer(title)).toContainText(`Import into ${target} cancelled; the volume it had begun was removed.`);
    await expect.poll(() => volumeExists(target)).toBe(false);
  });
});
