import { describe, expect, it } from 'vitest';
import { classifyExecFailure, execFailureError } from './terminal-exec-failure.js';

// The engine's (runc's) own words, as dockerd 20.10-28 print them into the exec's TTY.
const RUNC = 'OCI runtime exec failed: exec failed: unable to start container process:';

describe('classifyExecFailure', () => {
  it.each([
    ['unable to find user nobody2: no matching entries in passwd file\r\n', { kind: 'unknown-user', user: 'nobody2' }],
    [
      `${RUNC} exec: "/bin/zsh": stat /bin/zsh: no such file or directory: unknown`,
      { kind: 'missing-command', path: '/bin/zsh' },
    ],
    [`${RUNC} exec: "top2": executable file not found in $PATH: unknown`, { kind: 'missing-command', path: 'top2' }],
    [
      `${RUNC} chdir to cwd ("/nonexist") set in config.json failed: no such file or directory: unknown`,
      { kind: 'missing-workdir', path: '/nonexist' },
    ],
    ['Container 4f2a9c0d1e7b is not running', { kind: 'container-stopped' }],
    ['', { kind: 'missing-command', path: '/bin/sh' }],
    ['something else broke\nreally', { kind: 'refused', reason: 'really' }],
  ])('reads %j', (output, expected) => {
    expect(classifyExecFailure(output, 126, '/bin/sh')).toEqual(expected);
  });

  it('an empty output with an unexpected exit code is a refusal, with the code', () => {
    expect(classifyExecFailure('', 1, '/bin/sh')).toEqual({ kind: 'refused', reason: 'exit code 1' });
  });
});

describe('execFailureError', () => {
  it('names the thing to fix', () => {
    expect(execFailureError({ kind: 'unknown-user', user: 'bob' }, 'web', '/bin/sh')).toMatchObject({
      code: 'invalid-argument',
      message: 'User "bob" does not exist in container web.',
    });
    expect(execFailureError({ kind: 'missing-command', path: '/bin/zsh' }, 'web', '/bin/zsh').message).toBe(
      '/bin/zsh does not exist in container web (or is not executable).',
    );
    expect(execFailureError({ kind: 'container-stopped' }, 'web', '/bin/sh')).toMatchObject({
      code: 'not-running',
      message: 'Container web stopped while the terminal was opening.',
    });
    expect(execFailureError({ kind: 'refused', reason: 'no' }, 'web', '/bin/sh')).toMatchObject({ code: 'engine-error' });
  });
});
