/**
 * The Logs view (logs across containers), by role and name: its filters, its search, and the lines
 * of the log as a person reads them (container name, then text).
 */
import type { Locator } from '@playwright/test';
import { NavigationPage } from './navigation-page.js';

export class LogsPage extends NavigationPage {
  get log(): Locator {
    return this.page.getByRole('log', { name: 'Logs of all shown containers' });
  }

  get filters(): Locator {
    return this.page.getByRole('toolbar', { name: 'Log filters' });
  }

  get status(): Locator {
    return this.page.getByRole('status', { name: 'Logs status' });
  }

  get searchText(): Locator {
    return this.page.getByRole('search', { name: 'Search the logs' }).getByRole('searchbox', { name: 'Search text' });
  }

  get searchResult(): Locator {
    return this.page.getByRole('search', { name: 'Search the logs' }).getByRole('status', { name: 'Search result' });
  }

  get searchProblem(): Locator {
    return this.page.getByRole('alert', { name: 'Search problem' });
  }

  async chooseContainer(name: string): Promise<void> {
    await this.filters.getByLabel('Container', { exact: true }).selectOption({ label: name });
  }

  async chooseProject(name: string): Promise<void> {
    await this.filters.getByLabel('Project', { exact: true }).selectOption({ label: name });
  }

  /** The texts of the lines in view whose text matches, top to bottom. */
  async lineTexts(pattern: RegExp): Promise<string[]> {
    return this.log.getByText(pattern).allTextContents();
  }

  /** The lines in view, each as its row reads: stream, container name, text. */
  async rows(): Promise<string[]> {
    return this.log.evaluate((log) => Array.from(log.firstElementChild?.children ?? [], (row) => row.textContent ?? ''));
  }
}
