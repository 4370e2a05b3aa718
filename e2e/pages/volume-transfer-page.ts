/** The Volumes view's export, import and clone, as a person drives them. */
import { expect, type Download, type Locator } from '@playwright/test';
import { BerthPage } from './berth-page.js';

export class VolumeTransferPage extends BerthPage {
  get table(): Locator {
    return this.page.getByRole('table', { name: 'Volumes' });
  }

  get transfers(): Locator {
    return this.page.getByRole('list', { name: 'Volume transfers' });
  }

  transfer(title: string): Locator {
    return this.transfers.getByRole('listitem', { name: title });
  }

  progress(title: string): Locator {
    return this.transfer(title).getByRole('progressbar', { name: title });
  }

  /** Clicks Export and returns the download the browser was handed. */
  async export(volume: string): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.table.getByRole('button', { name: `Export ${volume}`, exact: true }).click();
    return download;
  }

  get importDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Import a volume from a tar file' });
  }

  async import(file: string | { name: string; mimeType: string; buffer: Buffer }, name: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Import volume…' }).click();
    await this.importDialog.getByLabel('Tar file').setInputFiles(file);
    await this.importDialog.getByLabel('New volume name').fill(name);
    await this.importDialog.getByRole('button', { name: 'Import' }).click();
  }

  async clone(source: string, target: string): Promise<void> {
    await this.table.getByRole('button', { name: `Clone ${source}`, exact: true }).click();
    const dialog = this.page.getByRole('dialog', { name: `Clone volume ${source}` });
    await dialog.getByLabel('New volume name').fill(target);
    await dialog.getByRole('button', { name: 'Clone' }).click();
    await expect(dialog).toHaveCount(0);
  }

  async cancel(title: string): Promise<void> {
    await this.transfer(title)
      .getByRole('button', { name: `Cancel ${title}` })
      .click();
  }
}
