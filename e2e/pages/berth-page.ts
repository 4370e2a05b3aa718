/**
 * Page objects: find things as a person would, by role and name. No CSS selectors, no sleeps.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export class BerthPage {
  constructor(readonly page: Page) {}

  async open(url = process.env.BERTH_URL!): Promise<void> {
    await this.page.goto(url);
    await expect(this.engineStatus).toContainText('Engine running', { timeout: 15_000 });
  }

  get engineStatus(): Locator {
    return this.page.getByRole('status', { name: 'Engine status' });
  }

  async showView(name: 'Containers' | 'Images' | 'Volumes'): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name }).click();
    await expect(this.page.getByRole('heading', { level: 1, name })).toBeVisible();
  }

  alert(text: string | RegExp): Locator {
    return this.page.getByRole('alert').filter({ hasText: text });
  }

  /** Writes a screenshot next to the test's other artifacts; a person looks at these. */
  async saveScreenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `e2e/artifacts/${name}.png` });
  }
}

export class ContainersPage extends BerthPage {
  get table(): Locator {
    return this.page.getByRole('table', { name: 'Containers' });
  }

  row(name: string): Locator {
    return this.table.getByRole('row', { name, exact: true });
  }

  state(name: string): Locator {
    return this.row(name).getByRole('cell').nth(2);
  }

  async clickRowAction(name: string, action: 'Start' | 'Stop' | 'Restart' | 'Remove' | 'Open terminal in'): Promise<void> {
    await this.row(name)
      .getByRole('button', { name: `${action} ${name}`, exact: true })
      .click();
  }

  async filter(text: string): Promise<void> {
    await this.page.getByLabel('Filter containers').fill(text);
  }

  async confirmRemove(options: { force: boolean }): Promise<void> {
    const dialog = this.page.getByRole('dialog');
    const force = dialog.getByRole('checkbox', { name: /Force/ });
    if (await force.count()) await force.setChecked(options.force);
    await dialog.getByRole('button', { name: 'Remove' }).click();
  }
}

export class TerminalPanel {
  constructor(
    readonly page: Page,
    readonly containerName: string,
  ) {}

  get region(): Locator {
    return this.page.getByRole('region', { name: `Terminal for ${this.containerName}` });
  }

  async waitConnected(): Promise<void> {
    await expect(this.page.getByRole('status').filter({ hasText: /^Connected: / })).toBeVisible({ timeout: 15_000 });
  }

  async type(text: string): Promise<void> {
    await this.region.click();
    await this.page.keyboard.type(text);
  }

  async close(): Promise<void> {
    await this.page.getByRole('button', { name: 'Close terminal' }).click();
    await expect(this.region).toHaveCount(0);
  }
}
