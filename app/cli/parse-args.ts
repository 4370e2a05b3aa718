/**
 * The `berth` command line: `berth [--json] COMMAND [ARGS] [OPTIONS]`. Unknown commands and options
 * are usage errors naming the closest one. Pure: the tests drive it with arrays.
 */
import type { CommandSpec, ParsedCommand } from './command.js';
import { didYouMean } from './closest-name.js';
import { CliError, EXIT } from './exit-codes.js';

/** Options every command takes. */
export const GLOBAL_OPTIONS = [
  { name: 'json', help: 'print one JSON object (for scripts), errors included' },
  { name: 'help', help: 'this help' },
] as const;

export type Invocation =
  | { kind: 'help'; command: CommandSpec | null; json: boolean }
  | { kind: 'version'; json: boolean }
  | { kind: 'run'; command: CommandSpec; parsed: ParsedCommand; json: boolean };

const usageError = (message: string, hint: string) => new CliError(EXIT.usage, `${message}${hint}`);

export function parseInvocation(argv: readonly string[], commands: readonly CommandSpec[]): Invocation {
  const json = argv.includes('--json');
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  const words = argv.filter((arg) => arg !== '--json' && arg !== '--help' && arg !== '-h');
  const commandIndex = words.findIndex((word) => !word.startsWith('-'));
  if (commandIndex === -1) {
    if (words.includes('--version')) return { kind: 'version', json };
    if (words.length > 0) throw usageError(`Unknown option ${words[0]}.`, ' Run: berth --help');
    return { kind: 'help', command: null, json };
  }
  if (commandIndex > 0) {
    throw usageError(`Unknown option ${words[0]}; options go after the command.`, ' Run: berth --help');
  }
  const name = words[0]!;
  if (name === 'help') {
    const topic = words[1];
    const command = topic === undefined ? null : findCommand(topic, commands);
    return { kind: 'help', command, json };
  }
  const command = findCommand(name, commands);
  if (wantsHelp) return { kind: 'help', command, json };
  return { kind: 'run', command, parsed: parseCommandArgs(command, words.slice(1)), json };
}

function findCommand(name: string, commands: readonly CommandSpec[]): CommandSpec {
  const command = commands.find((candidate) => candidate.name === name);
  if (command) return command;
  const names = commands.map((candidate) => candidate.name);
  throw usageError(
    `Unknown command "${name}".`,
    `${didYouMean(name, names, (n) => `"berth ${n}"`)} Commands: ${names.join(', ')}.`,
  );
}

export function parseCommandArgs(command: CommandSpec, words: readonly string[]): ParsedCommand {
  const args: string[] = [];
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const options = command.options ?? [];
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index]!;
    // `--` ends the options: a setting's value may start with a dash.
    if (word === '--') {
      args.push(...words.slice(index + 1));
      break;
    }
    if (!word.startsWith('--')) {
      // A negative number is a value, not an option.
      if (word.startsWith('-') && !/^-\d/.test(word)) {
        throw usageError(`Unknown option ${word} for "berth ${command.name}".`, ` Options: ${optionList(command)}.`);
      }
      args.push(word);
      continue;
    }
    const [name, inline] = word.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const option = options.find((candidate) => candidate.name === name);
    if (!option) {
      const known = [...options, ...GLOBAL_OPTIONS].map((candidate) => candidate.name);
      const hint = didYouMean(name, known, (n) => `--${n}`);
      throw usageError(`Unknown option --${name} for "berth ${command.name}".`, hint || ` Options: ${optionList(command)}.`);
    }
    if (option.value === undefined) {
      if (inline !== undefined) throw usageError(`--${name} takes no value.`, '');
      flags.add(name);
      continue;
    }
    const value = inline ?? words[index + 1];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw usageError(`--${name} needs a value (${option.value}).`, '');
    }
    if (inline === undefined) index += 1;
    values.set(name, value);
  }
  const min = command.minArgs ?? 0;
  const max = command.maxArgs ?? 0;
  if (args.length < min || args.length > max) {
    const expected = command.args ? `: berth ${command.name} ${command.args}` : ': it takes no arguments';
    const got = args.length > max ? `Too many arguments (${args.slice(max).join(' ')})` : 'Missing arguments';
    throw usageError(`${got} for "berth ${command.name}"${expected}.`, '');
  }
  return { args, flags, values };
}

function optionList(command: CommandSpec): string {
  const names = [...(command.options ?? []), ...GLOBAL_OPTIONS].map((option) => `--${option.name}`);
  return names.join(', ');
}

/** A whole number of seconds from an option, or a usage error naming the range. */
export function secondsOption(values: ReadonlyMap<string, string>, name: string, fallback: number): number {
  const text = values.get(name);
  if (text === undefined) return fallback;
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400) {
    throw usageError(`--${name} must be a whole number of seconds from 1 to 86400, not "${text}".`, '');
  }
  return seconds;
}
