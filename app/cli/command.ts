/** What a `berth` subcommand declares (its options and arguments, for parsing and help) and what it gets to run. */
import type { BerthClient } from '../contract/client.js';
import type { ControlConnection } from '../control/index.js';

export interface OptionSpec {
  /** Without the dashes: "wait" for --wait. */
  name: string;
  /** A value follows (--timeout 60), else a flag. */
  value?: string;
  help: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** The arguments after the command, as help shows them: "KEY VALUE". */
  args?: string;
  minArgs?: number;
  maxArgs?: number;
  options?: readonly OptionSpec[];
  /** Lines for `berth NAME --help` after the options. */
  details?: string;
  run(context: CommandContext): Promise<void>;
}

export interface ParsedCommand {
  args: string[];
  flags: ReadonlySet<string>;
  values: ReadonlyMap<string, string>;
}

export interface CommandContext extends ParsedCommand {
  json: boolean;
  stateDir: string;
  /** A line for a person (text mode only). */
  say(line: string): void;
  /** The command's result: printed as JSON with --json, else by `text`. */
  result(value: unknown, text: () => string): void;
  /** The running Berth; throws NoBerthRunningError (exit 3) when none answers. */
  connect(): Promise<BerthClient>;
  /** The connection, once connect() succeeded (to wait for it to close). */
  connection(): ControlConnection | null;
  /** Asks a yes/no question on the terminal; false when there is no terminal. */
  confirm(question: string): Promise<boolean>;
}
