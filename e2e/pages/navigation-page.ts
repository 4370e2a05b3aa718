/**
 * Berth's places and its command palette, driven from the keyboard as a person without a mouse
 * would: Ctrl-K, typing, arrows and Enter; Alt-←/→; the header's buttons reached and pressed by key.
 * By role and name, no CSS selectors, no sleeps.
 */
import { expect, type Locator } from '@playwright/test';
import { ContainersPage } from './berth-page.js';

export class NavigationPage extends ContainersPage {
  get palette(): Locator {
    return this.page.getByRole('dialog', { name: 'Command palette' });
  }

  get query(): Locator {
    return this.palette.getByRole('combobox', { name: 'Command' });
  }

  option(label: string): Locator {
    return this.palette.getByRole('listbox', { name: 'Commands' }).getByRole('option', { name: label, exact: true });
  }

  async openPalette(): Promise<void> {
    await this.page.keyboard.press('Control+K');
    await expect(this.query).toBeFocused();
  }

  /** Opens the palette, types `query`, moves to the command with the arrow keys and runs it with Enter. */
  async runCommand(query: string, label: string): Promise<void> {
    await this.openPalette();
    await this.page.keyboard.type(query);
    const option = this.option(label);
    await expect(option).toBeVisible();
    const options = this.palette.getByRole('option');
    for (let step = await options.count(); step > 0; step--) {
      if ((await option.getAttribute('aria-selected')) === 'true') break;
      await this.page.keyboard.press('ArrowDown');
    }
    await expect(option).toHaveAttribute('aria-selected', 'true');
    await expect(this.query).toHaveAttribute('aria-activedescendant', (await option.getAttribute('id'))!);
    await this.page.keyboard.press('Enter');
    await expect(this.palette).toHaveCount(0);
  }

  /** A header button (Back, Forward), reached by focus and pressed with Enter. */
  async pressHeaderButton(name: 'Back' | 'Forward'): Promise<void> {
    await this.page.getByRole('toolbar', { name: 'Navigation' }).getByRole('button', { name, exact: true }).press('Enter');
  }

  async pressSidebar(name: 'Containers' | 'Logs' | 'Images' | 'Volumes' | 'Networks' | 'Disk usage' | 'Engine'): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true }).press('Enter');
  }

  heading(name: string): Locator {
    return this.page.getByRole('heading', { level: 1, name, exact: true });
  }

  /** The place's address, as the address bar shows it. */
  async address(): Promise<string> {
    return new URL(this.page.url()).hash;
  }

  /** Goes to an address as if typed into the address bar (the same page: a new history entry). */
  async goTo(hash: string): Promise<void> {
    await this.page.goto(new URL(hash, this.page.url()).toString());
  }

  note(text: string | RegExp): Locator {
    return this.page.getByRole('list', { name: 'Notifications' }).getByRole('status').filter({ hasText: text });
  }

  tab(name: 'Logs' | 'Inspect' | 'Stats' | 'Files'): Locator {
    return this.page.getByRole('tab', { name, exact: true });
  }
}
