/**
 * `berth`: the command line over a running Berth's control socket. Thin: parsing and help here, one
 * file per command (commands/), every call through the contract's typed client.
 */
import { createInterface } from 'node:readline/promises';
import { isBerthApiError } from '../contract/errors.js';
import { connectControlSocket, NoBerthRunningError, UnsafeControlSocketError, type ControlConnection } from '../control/index.js';
import { berthStateDir } from '../state-dir.js';
import type { CommandContext } from './command.js';
import { COMMANDS } from './commands/index.js';
import { CliError, EXIT, type ExitCode } from './exit-codes.js';
import { commandHelp, overallHelp } from './help.js';
import { parseInvocation } from './parse-args.js';
import { berthVersion } from '../control/index.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The failure as a CliError: what Berth answered, or what stopped us reaching it. */
function asCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof NoBerthRunningError) return new CliError(EXIT.notRunning, error.message);
  if (error instanceof UnsafeControlSocketError) return new CliError(EXIT.refused, error.message);
  if (isBerthApiError(error)) return new CliError(EXIT.failed, error.message);
  return new CliError(EXIT.failed, error instanceof Error ? error.message : String(error));
}

export async function runBerthCommand(argv: readonly string[]): Promise<ExitCode> {
  const json = argv.includes('--json');
  let connection: ControlConnection | null = null;
  try {
    const invocation = parseInvocation(argv, COMMANDS);
    if (invocation.kind === 'help') {
      console.log(invocation.command ? commandHelp(invocation.command) : overallHelp(COMMANDS));
      return EXIT.ok;
    }
    if (invocation.kind === 'version') {
      const version = berthVersion(join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
      console.log(json ? JSON.stringify({ version }) : `berth ${version}`);
      return EXIT.ok;
    }
    const stateDir = berthStateDir();
    const context: CommandContext = {
      ...invocation.parsed,
      json,
      stateDir,
      say: (line) => (json ? undefined : console.log(line)),
      result: (value, text) => console.log(json ? JSON.stringify(value, null, 2) : text()),
      async connect() {
        connection ??= await connectControlSocket(stateDir);
        return connection.client;
      },
      connection: () => connection,
      async confirm(question) {
        if (!process.stdin.isTTY) return false;
        const prompt = createInterface({ input: process.stdin, output: process.stderr });
        try {
          return (await prompt.question(question)).trim().toLowerCase() === 'yes';
        } finally {
          prompt.close();
        }
      },
    };
    await invocation.command.run(context);
    return EXIT.ok;
  } catch (caught) {
    const error = asCliError(caught);
    if (json)
      console.log(JSON.stringify({ error: { code: error.code, exitCode: error.exitCode, message: error.message } }, null, 2));
    else console.error(`berth: ${error.message}`);
    return error.exitCode;
  } finally {
    (connection as ControlConnection | null)?.close();
  }
}

runBerthCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`berth: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT.failed;
  },
);
