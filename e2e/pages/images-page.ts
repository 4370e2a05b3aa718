/** The Images view and its dialogs, found by role and name as a person would find them. */
import { expect, type Locator } from '@playwright/test';
import { BerthPage } from './berth-page.js';

export class ImagesPage extends BerthPage {
  get table(): Locator {
    return this.page.getByRole('table', { name: 'Images' });
  }

  row(reference: string): Locator {
    return this.table.getByRole('row', { name: reference, exact: true });
  }

  get dialog(): Locator {
    return this.page.getByRole('dialog');
  }

  async openTool(name: 'Pull…' | 'Build…' | 'Run…' | 'Registries…' | 'Prune dangling'): Promise<void> {
    await this.page.getByRole('toolbar', { name: 'Image actions' }).getByRole('button', { name }).click();
  }

  async pull(reference: string, platform?: string): Promise<void> {
    await this.openTool('Pull…');
    await this.dialog.getByRole('textbox', { name: 'Image reference' }).fill(reference);
    // An input with a list of suggestions is a combobox.
    if (platform) await this.dialog.getByRole('combobox', { name: 'Platform' }).fill(platform);
    await this.dialog.getByRole('button', { name: 'Pull', exact: true }).click();
  }

  progress(name = 'Overall progress'): Locator {
    return this.dialog.getByRole('progressbar', { name });
  }

  async build(options: { context: string; tag: string }): Promise<void> {
    await this.dialog.getByRole('textbox', { name: 'Context folder' }).fill(options.context);
    await this.dialog.getByRole('textbox', { name: 'Tag' }).fill(options.tag);
    await this.dialog.getByRole('button', { name: 'Build', exact: true }).click();
  }

  get buildLog(): Locator {
    return this.dialog.getByRole('log', { name: 'Build log' });
  }

  /** Fills the Run dialog (opened from a row or the toolbar) and submits it. */
  async run(options: {
    name: string;
    command?: string;
    port?: { host: number; container: number };
    platform?: string;
  }): Promise<void> {
    const form = this.dialog.getByRole('form', { name: 'Run container' });
    await form.getByRole('textbox', { name: 'Container name' }).fill(options.name);
    if (options.platform) await form.getByRole('combobox', { name: 'Platform' }).fill(options.platform);
    if (options.command) await form.getByRole('textbox', { name: 'Command' }).fill(options.command);
    if (options.port) {
      await form.getByRole('button', { name: 'Add port' }).click();
      const row = form.getByRole('group', { name: 'Port 1' });
      await row.getByRole('textbox', { name: 'Host port' }).fill(String(options.port.host));
      await row.getByRole('textbox', { name: 'Container port' }).fill(String(options.port.container));
    }
    await form.getByRole('button', { name: 'Run', exact: true }).click();
  }

  async close(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(this.dialog).toHaveCount(0);
  }
}
