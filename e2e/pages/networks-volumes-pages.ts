/** Page objects for the Networks view, a volume's detail and the disk usage page: by role and name. */
import { expect, type Locator, type Page } from '@playwright/test';
import { BerthPage } from './berth-page.js';

export class NetworksPage extends BerthPage {
  get table(): Locator {
    return this.page.getByRole('table', { name: 'Networks' });
  }

  row(name: string): Locator {
    return this.table.getByRole('row', { name, exact: true });
  }

  containersOn(name: string): Locator {
    return this.row(name).getByRole('list', { name: `Containers on ${name}` });
  }

  async create(name: string, subnet = ''): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Create network' });
    await form.getByLabel('Network name').fill(name);
    await form.getByLabel('Subnet (optional)').fill(subnet);
    await form.getByRole('button', { name: 'Create network' }).click();
  }

  async connect(network: string, containerLabel: string): Promise<void> {
    await this.row(network)
      .getByRole('button', { name: `Connect a container to ${network}` })
      .click();
    const dialog = this.page.getByRole('dialog', { name: `Connect a container to ${network}` });
    await dialog.getByLabel('Container').selectOption({ label: containerLabel });
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await expect(dialog).toHaveCount(0);
  }

  async disconnect(network: string, container: string): Promise<void> {
    await this.row(network)
      .getByRole('button', { name: `Disconnect ${container} from ${network}` })
      .click();
  }

  async remove(network: string): Promise<void> {
    await this.row(network)
      .getByRole('button', { name: `Remove ${network}` })
      .click();
    await this.page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
  }
}

export class VolumeDetail {
  constructor(
    readonly page: Page,
    readonly volume: string,
  ) {}

  static async open(page: Page, volume: string): Promise<VolumeDetail> {
    await page
      .getByRole('table', { name: 'Volumes' })
      .getByRole('button', { name: `Details for ${volume}` })
      .click();
    const detail = new VolumeDetail(page, volume);
    await expect(detail.dialog).toBeVisible();
    return detail;
  }

  get dialog(): Locator {
    return this.page.getByRole('dialog', { name: `Volume ${this.volume}` });
  }

  get files(): Locator {
    return this.dialog.getByRole('table', { name: `Files in ${this.volume}` });
  }

  get users(): Locator {
    return this.dialog.getByRole('table', { name: `Containers using ${this.volume}` });
  }

  /** The size's text, next to "Recompute size". */
  get size(): Locator {
    return this.dialog.getByRole('definition').filter({ has: this.page.getByRole('button', { name: 'Recompute size' }) });
  }

  async openFolder(name: string): Promise<void> {
    await this.files.getByRole('button', { name: `Open folder ${name}` }).click();
  }

  async showFile(name: string): Promise<Locator> {
    await this.files.getByRole('button', { name: `Show ${name}` }).click();
    return this.dialog.getByLabel(new RegExp(`^Contents of .*${name}$`));
  }

  async close(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(this.dialog).toHaveCount(0);
  }
}

export class DiskUsagePage extends BerthPage {
  get table(): Locator {
    return this.page.getByRole('table', { name: 'Disk usage' });
  }

  /** A figure of one kind: columns Count, In use, Size, Reclaimable (after the row header). */
  figure(
    kind: 'Images' | 'Containers' | 'Volumes' | 'Build cache',
    column: 'Count' | 'In use' | 'Size' | 'Reclaimable',
  ): Locator {
    const index = ['Count', 'In use', 'Size', 'Reclaimable'].indexOf(column);
    return this.table.getByRole('row', { name: kind, exact: true }).getByRole('cell').nth(index);
  }

  async prune(kind: 'images' | 'containers' | 'volumes' | 'build cache'): Promise<void> {
    await this.table.getByRole('button', { name: `Prune ${kind}` }).click();
    await this.page
      .getByRole('dialog', { name: `Prune ${kind}?` })
      .getByRole('button', { name: 'Prune' })
      .click();
  }

  get pruneResult(): Locator {
    return this.page.getByRole('status', { name: 'Prune result' });
  }
}
