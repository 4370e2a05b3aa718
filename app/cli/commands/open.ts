/** `berth open`: opens the UI's link in the browser where there is a desktop, else prints it. */
import { spawn } from 'node:child_process';
import type { CommandSpec } from '../command.js';
import { CliError, EXIT } from '../exit-codes.js';

/** The program that opens a link on this OS, or null where there is no desktop to open it on. */
export function linkOpener(platform = process.platform, env = process.env): string | null {
  if (platform === 'darwin') return 'open';
  if (platform === 'win32') return 'explorer';
  return env.DISPLAY || env.WAYLAND_DISPLAY ? 'xdg-open' : null;
}

export const openCommand: CommandSpec = {
  name: 'open',
  summary: "opens Berth's UI in your browser (or prints its link where there is no desktop)",
  options: [{ name: 'print', help: 'only print the link (it holds the browser-mode token: keep it to yourself)' }],
  details: 'A Berth in a desktop window has no link: open its window instead. Exits 7 then.',
  async run(context) {
    const info = await (await context.connect()).app.info({});
    const link = info.browserLink;
    if (!link)
      throw new CliError(EXIT.notReady, 'This Berth runs in a desktop window and serves no browser link: use its window.');
    const opener = context.flags.has('print') ? null : linkOpener();
    if (opener) {
      // Detached and ignored: the browser outlives this command.
      spawn(opener, [link], { detached: true, stdio: 'ignore' })
        .on('error', () => undefined)
        .unref();
    }
    context.result({ link, opened: opener !== null }, () => (opener ? `Opened ${link}` : link));
  },
};
