import { describe, expect, it } from 'vitest';
import { CliError, EXIT, EXIT_CODE_TABLE } from './exit-codes.js';

describe('exit codes', () => {
  it('are distinct, and the help table lists every one', () => {
    const codes = Object.values(EXIT);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(EXIT_CODE_TABLE).toMatch(new RegExp(`^  ${code}  \\S`, 'm'));
  });

  it('name themselves in --json output', () => {
    expect(new CliError(EXIT.notRunning, 'x').code).toBe('not-running');
    expect(new CliError(EXIT.timedOut, 'x').code).toBe('timed-out');
    expect(new CliError(EXIT.usage, 'x').code).toBe('usage');
  });
});
