/**
 * The last line of defence for a long-running Berth: an error nobody caught (a socket's 'error' event
 * without a listener, a throw in a timer, a rejected promise nobody awaited) is logged and the process
 * goes on. Berth holds a VM with the user's data and the terminals of their containers; ending the
 * process for one failed request would take all of that down, and a page on any site could do it if
 * a path through the network code were missed. Every such line is a bug to fix: the browser-mode
 * abuse tests fail when one is logged.
 */
const MAX_REPORT_CHARS = 2_000;

export const LAST_RESORT_MARK = '[berth] uncaught';

function describe(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return text.length > MAX_REPORT_CHARS ? `${text.slice(0, MAX_REPORT_CHARS)}…` : text;
}

/** Installs the guard on this process; returns a disposer that removes it. */
export function installLastResortGuard(write: (line: string) => void = (line) => process.stderr.write(line)): () => void {
  const onException = (error: unknown, origin: string) => write(`${LAST_RESORT_MARK} ${origin}: ${describe(error)}\n`);
  const onRejection = (reason: unknown) => write(`${LAST_RESORT_MARK} rejection: ${describe(reason)}\n`);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
