/** `berth --help` and `berth COMMAND --help`, from the command table. */
import type { CommandSpec } from './command.js';
import { EXIT_CODE_TABLE } from './exit-codes.js';
import { GLOBAL_OPTIONS } from './parse-args.js';

export function overallHelp(commands: readonly CommandSpec[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: berth COMMAND [ARGUMENTS] [--json] [--help]',
    'Talks to the Berth running for this user (its control socket in the state folder).',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'berth COMMAND --help tells more about one command. --json prints one JSON object, for scripts.',
    '',
    EXIT_CODE_TABLE,
  ].join('\n');
}

export function commandHelp(command: CommandSpec): string {
  const options = [...(command.options ?? []), ...GLOBAL_OPTIONS].map((option) => ({
    label: `--${option.name}${'value' in option && option.value ? ` ${option.value}` : ''}`,
    help: option.help,
  }));
  const width = Math.max(...options.map((option) => option.label.length));
  return [
    `Usage: berth ${command.name}${command.args ? ` ${command.args}` : ''} [OPTIONS]`,
    command.summary,
    ...(command.details ? ['', command.details] : []),
    '',
    'Options:',
    ...options.map((option) => `  ${option.label.padEnd(width)}  ${option.help}`),
  ].join('\n');
}
