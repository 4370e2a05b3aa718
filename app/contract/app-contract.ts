/**
 * The app part of the contract: which Berth process answers (its version, pid and shell) and its doors
 * (the control socket, the browser-mode link), and quitting it. The `berth` command reads it for
 * `status` and `open`, and ends a headless Berth with `quit`.
 */
import { z } from 'zod';
import { method, NoArgs, Nothing } from './definitions.js';

export const AppInfoSchema = z.object({
  /** Berth's version (package.json). */
  version: z.string(),
  pid: z.number(),
  /** electron: a desktop window; browser: browser mode started by a person; headless: no window, no page. */
  shell: z.enum(['electron', 'browser', 'headless']),
  stateDir: z.string(),
  /** The control socket the `berth` command talks to, or null when this Berth serves none. */
  controlSocket: z.string().nullable(),
  /** The browser-mode link with its token, or null (Electron with a window). */
  browserLink: z.string().nullable(),
  /** Where a headless Berth writes its log, or null. */
  logFile: z.string().nullable(),
});

export const appContract = {
  info: method(NoArgs, AppInfoSchema),
  /** Ends this Berth process: the VM syncs and powers off first, as when its window closes. */
  quit: method(NoArgs, Nothing),
} as const;

export type AppInfo = z.output<typeof AppInfoSchema>;
