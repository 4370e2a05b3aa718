import { describe, expect, it } from 'vitest';
import type { CommandSpec } from './command.js';
import { CliError, EXIT } from './exit-codes.js';
import { parseInvocation, secondsOption } from './parse-args.js';

const run = async () => undefined;
const commands: CommandSpec[] = [
  { name: 'status', summary: '', run },
  {
    name: 'start',
    summary: '',
    run,
    options: [
      { name: 'wait', help: '' },
      { name: 'timeout', value: 'SECONDS', help: '' },
    ],
  },
  { name: 'settings', summary: '', run, args: 'list|get KEY|set KEY VALUE', minArgs: 1, maxArgs: 3 },
];

function usageMessage(argv: string[]): string {
  try {
    parseInvocation(argv, commands);
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.usage);
    return (error as CliError).message;
  }
  throw new Error(`${argv.join(' ')} parsed`);
}

describe('parseInvocation', () => {
  it('finds the command, its flags and values, and --json anywhere', () => {
    const invocation = parseInvocation(['--json', 'start', '--wait', '--timeout', '30'], commands);
    expect(invocation.kind).toBe('run');
    if (invocation.kind !== 'run') return;
    expect(invocation.command.name).toBe('start');
    expect(invocation.json).toBe(true);
    expect([...invocation.parsed.flags]).toEqual(['wait']);
    expect(invocation.parsed.values.get('timeout')).toBe('30');
    const inline = parseInvocation(['start', '--timeout=45'], commands);
    expect(inline.kind === 'run' && inline.parsed.values.get('timeout')).toBe('45');
  });

  it('gives help for no command, `help`, `help CMD` and `CMD --help`', () => {
    expect(parseInvocation([], commands)).toMatchObject({ kind: 'help', command: null });
    expect(parseInvocation(['help'], commands)).toMatchObject({ kind: 'help', command: null });
    expect(parseInvocation(['help', 'start'], commands)).toMatchObject({ kind: 'help', command: { name: 'start' } });
    expect(parseInvocation(['start', '--help'], commands)).toMatchObject({ kind: 'help', command: { name: 'start' } });
    expect(parseInvocation(['--version'], commands)).toMatchObject({ kind: 'version' });
  });

  it('names the closest command for a typo, and lists them all', () => {
    expect(usageMessage(['statsu'])).toMatch(
      /Unknown command "statsu"\. Did you mean "berth status"\? Commands: status, start, settings\./,
    );
    expect(usageMessage(['help', 'strat'])).toMatch(/Did you mean "berth start"/);
    expect(usageMessage(['xyzzy'])).not.toMatch(/Did you mean/);
  });

  it('names the closest option, the command’s own and the global ones', () => {
    expect(usageMessage(['start', '--wiat'])).toMatch(/Unknown option --wiat for "berth start"\. Did you mean --wait\?/);
    expect(usageMessage(['status', '--jsn'])).toMatch(/Did you mean --json\?/);
    expect(usageMessage(['status', '--frobnicate'])).toMatch(/Options: --json, --help\./);
    expect(usageMessage(['status', '-x'])).toMatch(/Unknown option -x/);
    expect(usageMessage(['--wait', 'start'])).toMatch(/options go after the command/);
  });

  it('refuses a missing value, a value on a flag, and the wrong number of arguments', () => {
    expect(usageMessage(['start', '--timeout'])).toMatch(/--timeout needs a value \(SECONDS\)/);
    expect(usageMessage(['start', '--wait=yes'])).toMatch(/--wait takes no value/);
    expect(usageMessage(['status', 'now'])).toMatch(/Too many arguments \(now\) for "berth status": it takes no arguments/);
    expect(usageMessage(['settings'])).toMatch(
      /Missing arguments for "berth settings": berth settings list\|get KEY\|set KEY VALUE/,
    );
  });

  it('takes negative numbers and anything after -- as arguments', () => {
    const invocation = parseInvocation(['settings', 'set', 'vm.cpus', '-1'], commands);
    expect(invocation.kind === 'run' && invocation.parsed.args).toEqual(['set', 'vm.cpus', '-1']);
    const dashed = parseInvocation(['settings', 'set', '--', 'key', '--value'], commands);
    expect(dashed.kind === 'run' && dashed.parsed.args).toEqual(['set', 'key', '--value']);
  });
});

describe('secondsOption', () => {
  it('reads whole seconds in range, else names the range', () => {
    expect(secondsOption(new Map(), 'timeout', 600)).toBe(600);
    expect(secondsOption(new Map([['timeout', '30']]), 'timeout', 600)).toBe(30);
    expect(() => secondsOption(new Map([['timeout', '1.5']]), 'timeout', 600)).toThrow(/from 1 to 86400, not "1.5"/);
    expect(() => secondsOption(new Map([['timeout', '0']]), 'timeout', 600)).toThrow(CliError);
  });
});
