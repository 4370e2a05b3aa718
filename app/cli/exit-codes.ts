/**
 * The `berth` command's exit codes: one meaning each, so a script can act on them. The table is
 * printed by `berth --help` and documented in the README from here.
 */
export const EXIT = {
  ok: 0,
  /** Berth answered with an error (the VM failed to start, a value was refused); the message says why. */
  failed: 1,
  /** Unknown command or option, or wrong arguments; the message names the closest command or option. */
  usage: 2,
  /** No Berth answers on the control socket (and the command does not start one). */
  notRunning: 3,
  /** The control socket or the state folder belongs to another user, or others may write to it. */
  refused: 4,
  /** --wait ran out of time (--timeout). */
  timedOut: 5,
  /** `berth reset` was not confirmed (no --yes, and no answer "yes"). */
  notConfirmed: 6,
  /** What was asked for does not exist yet: no DOCKER_HOST while the VM is stopped, no browser link. */
  notReady: 7,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODE_TABLE = `Exit codes:
  0  done
  1  Berth answered with an error (the message says why)
  2  unknown command or option, or wrong arguments
  3  Berth is not running
  4  refused: the control socket or state folder is not yours alone
  5  --wait timed out
  6  reset not confirmed
  7  not there yet (no DOCKER_HOST while the VM is stopped; no browser link)`;

/** A failure the command reports as a message and an exit code; `code` is its name in --json output. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }

  /** The exit code's name as --json output spells it: not-running, timed-out. */
  get code(): string {
    const name = Object.entries(EXIT).find(([, value]) => value === this.exitCode)?.[0] ?? 'failed';
    return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  }
}
