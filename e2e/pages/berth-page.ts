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

  async showView(name: 'Containers' | 'Logs' | 'Images' | 'Volumes' | 'Networks' | 'Disk usage' | 'Engine'): Promise<void> {
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

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The terminal panel, seen through one container's tab (tabs are titled "container: command"). */
export class TerminalPanel {
  constructor(
    readonly page: Page,
    readonly containerName: string,
  ) {}

  get panel(): Locator {
    return this.page.getByRole('region', { name: 'Terminals' });
  }

  /** The xterm of the active tab, when it is this container's. */
  get region(): Locator {
    return this.page.getByRole('region', { name: `Terminal for ${this.containerName}` });
  }

  tab(): Locator {
    return this.page.getByRole('tab', { name: new RegExp(`^${escapeRegExp(this.containerName)}: `) });
  }

  get status(): Locator {
    return this.page.getByRole('status', { name: /^Session / });
  }

  async activate(): Promise<void> {
    await this.tab().click();
    await expect(this.tab()).toHaveAttribute('aria-selected', 'true');
  }

  async waitConnected(): Promise<void> {
    await expect(this.status).toHaveText(/^Connected: /, { timeout: 20_000 });
  }

  async waitEnded(reason: string | RegExp): Promise<void> {
    await expect(this.status).toHaveText(reason, { timeout: 20_000 });
  }

  async type(text: string): Promise<void> {
    await this.region.click();
    await this.page.keyboard.type(text);
  }

  async search(text: string): Promise<Locator> {
    const bar = this.page.getByRole('search', { name: 'Search in terminal' });
    if (!(await bar.isVisible())) await this.page.getByRole('button', { name: 'Search', exact: true }).click();
    await bar.getByLabel('Search text').fill(text);
    await bar.getByLabel('Search text').press('Enter');
    return bar.getByRole('status', { name: 'Search result' });
  }

  /** "New terminal…" with its choices. */
  async openNew(options: {
    container: string;
    kind: 'New shell' | 'Attach to main process' | 'Debug shell (no shell or stopped)';
    user?: string;
    shell?: string;
  }): Promise<void> {
    await this.page.getByRole('button', { name: 'New terminal…' }).click();
    const form = this.page.getByRole('form', { name: 'New terminal' });
    await form.getByRole('textbox', { name: 'Container', exact: true }).fill(options.container);
    await form.getByLabel('Kind').selectOption({ label: options.kind });
    if (options.user) await form.getByRole('textbox', { name: 'User', exact: true }).fill(options.user);
    if (options.shell) await form.getByRole('combobox', { name: 'Shell', exact: true }).fill(options.shell);
    await form.getByRole('button', { name: 'Open' }).click();
  }

  async close(): Promise<void> {
    await this.page.getByRole('button', { name: new RegExp(`^Close terminal ${escapeRegExp(this.containerName)}: `) }).click();
    await expect(this.tab()).toHaveCount(0);
  }

  /** The terminal's text size, as the toolbar shows it ("13 px"). */
  get textSize(): Locator {
    return this.page.getByRole('status', { name: 'Text size' });
  }

  /** Text printed in the terminal (the smallest element holding all of it). */
  printed(text: string): Locator {
    return this.region.getByText(text, { exact: true });
  }

  /**
   * Points the mouse at printed text, a few pixels into its first letter (xterm's screen, over its
   * rows, takes the pointer events, as it does a person's): hover, click, or a double click.
   */
  async pointAt(text: string, action: 'hover' | 'click' | 'dblclick'): Promise<void> {
    const box = (await this.printed(text).boundingBox())!;
    const [x, y] = [box.x + 3, box.y + box.height / 2];
    if (action === 'hover') await this.page.mouse.move(x, y);
    else if (action === 'click') await this.page.mouse.click(x, y);
    else await this.page.mouse.dblclick(x, y);
  }

  /** The size the shell sees (`stty size`), read back from its output. */
  async sizeInShell(): Promise<{ rows: number; cols: number }> {
    const marker = `size${Math.random().toString(16).slice(2, 8)}`;
    await this.type(`echo ${marker}""-$(stty size)\n`);
    const line = this.region.getByText(new RegExp(`^${marker}-\\d+ \\d+$`));
    await expect(line).toBeVisible();
    const [, rows, cols] = /-(\d+) (\d+)$/.exec(await line.innerText())!;
    return { rows: Number(rows), cols: Number(cols) };
  }

  /**
   * The colour xterm paints behind the text, read at the middle of the terminal: the first element
   * there, going outwards, that has a background of its own.
   */
  async paintedBackground(): Promise<string | null> {
    return this.region.evaluate((host) => {
      const box = host.getBoundingClientRect();
      let element = host.ownerDocument.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      while (element && host.contains(element)) {
        const color = getComputedStyle(element).backgroundColor;
        if (color !== 'rgba(0, 0, 0, 0)') return color;
        element = element.parentElement;
      }
      return null;
    });
  }
}
