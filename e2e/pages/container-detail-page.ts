/**
 * Page objects for the container detail (tabs: Logs, Inspect, Stats, Files) and the list's selection.
 * By role and name, as a person finds things; no CSS selectors, no sleeps.
 */
import { expect, type Download, type Locator } from '@playwright/test';
import { ContainersPage } from './berth-page.js';

export class ContainerDetailPage extends ContainersPage {
  /** Opens a container's detail from the list by its name. */
  async openDetail(name: string): Promise<void> {
    await this.row(name)
      .getByRole('button', { name: `Show details of ${name}`, exact: true })
      .click();
    await expect(this.page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
  }

  async backToList(): Promise<void> {
    await this.page.getByRole('button', { name: '← All containers' }).click();
    await expect(this.table).toBeVisible();
  }

  tab(name: 'Logs' | 'Inspect' | 'Stats' | 'Files'): Locator {
    return this.page.getByRole('tab', { name, exact: true });
  }

  async showTab(name: 'Logs' | 'Inspect' | 'Stats' | 'Files'): Promise<void> {
    await this.tab(name).click();
    await expect(this.tab(name)).toHaveAttribute('aria-selected', 'true');
  }

  get actions(): Locator {
    return this.page.getByRole('toolbar', { name: /^Actions for / });
  }

  async action(label: string): Promise<void> {
    await this.actions.getByRole('button', { name: label, exact: true }).click();
  }

  get stateBadge(): Locator {
    return this.page.getByRole('status', { name: 'Container state' });
  }

  log(name: string): Locator {
    return this.page.getByRole('log', { name: `Log of ${name}` });
  }

  get logStatus(): Locator {
    return this.page.getByRole('status', { name: 'Log status' });
  }

  async search(text: string): Promise<Locator> {
    const search = this.page.getByRole('search');
    await search.getByLabel('Search text').fill(text);
    return search.getByRole('status', { name: 'Search result' });
  }

  get dialog(): Locator {
    return this.page.getByRole('dialog');
  }

  /** Fills the open dialog's field and submits it. */
  async submitDialog(field: string, value: string, submit: string): Promise<void> {
    await this.dialog.getByLabel(field, { exact: true }).fill(value);
    await this.dialog.getByRole('button', { name: submit, exact: true }).click();
  }

  chart(title: string): Locator {
    return this.page.getByRole('img', { name: new RegExp(`^${title}: `) });
  }

  /** How many readings a chart has drawn, from its accessible name. */
  async readings(title: string): Promise<number> {
    const label = (await this.chart(title).getAttribute('aria-label')) ?? '';
    return Number(/\((\d+) readings\)$/.exec(label)?.[1] ?? 0);
  }

  files(path: string): Locator {
    return this.page.getByRole('table', { name: `Files in ${path}` });
  }

  async download(trigger: () => Promise<void>): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), trigger()]);
    return { name: download.suggestedFilename(), text: await readDownload(download) };
  }

  async select(name: string): Promise<void> {
    await this.row(name)
      .getByRole('checkbox', { name: `Select ${name}` })
      .check();
  }

  get bulkBar(): Locator {
    return this.page.getByRole('toolbar', { name: 'Selected containers' });
  }
}

async function readDownload(download: Download): Promise<string> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
