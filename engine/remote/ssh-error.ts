/**
 * ssh says what went wrong on stderr among warnings and banners; a person needs one line of it. Pure.
 */

// The phrases that name the cause, in the order they decide: the first one found wins.
const CAUSES: RegExp[] = [
  /Permission denied \([^)]*\)/,
  /Host key verification failed/,
  /REMOTE HOST IDENTIFICATION HAS CHANGED/,
  /Connection refused/,
  /Connection timed out/,
  /Operation timed out/,
  /No route to host/,
  /Network is unreachable/,
  /Could not resolve hostname [^:]+: .*/,
  /Connection closed by [^\n]*/,
  /Connection reset by [^\n]*/,
  /Too many authentication failures/,
  // The remote side: no docker CLI, or no engine behind it.
  /docker: (?:command )?not found/,
  /Cannot connect to the Docker daemon[^\n]*/,
];

const NOISE = /^(Warning: |Pseudo-terminal|debug\d?: |\*\*|@@@|Load key|Authenticated to )/;

/** The line of ssh's stderr that says why it failed, without host-key warnings, trailing dots or ssh's prefixes. */
export function shortenSshError(stderr: string): string {
  for (const cause of CAUSES) {
    const found = cause.exec(stderr);
    if (found) return found[0].replace(/\.$/, '');
  }
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !NOISE.test(line));
  const last = lines.at(-1);
  if (!last) return 'ssh ended without saying why';
  return last
    .replace(/^ssh: /, '')
    .replace(/\.$/, '')
    .slice(0, 300);
}
