import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SHELL_CANDIDATES, parsePidLine, shellWrapperCommand } from './shell-exec.js';

describe('parsePidLine', () => {
  it.each([
    ['42', 42],
    ['42\r', 42],
    ['  7 ', 7],
    ['1234567890', 1_234_567_890],
  ])('reads %j as %i', (line, pid) => {
    expect(parsePidLine(line)).toBe(pid);
  });

  it.each([
    '',
    'abc',
    '12 34',
    '-5',
    '4.2',
    '12345678901',
    'OCI runtime exec failed: exec failed: unable to start container process: exec: "/bin/bash": stat /bin/bash: no such file or directory: unknown',
  ])('refuses %j', (line) => {
    expect(parsePidLine(line)).toBeNull();
  });
});

describe('shellWrapperCommand', () => {
  it('prints the PID and then execs the same shell in place', () => {
    expect(shellWrapperCommand('/bin/sh')).toEqual(['/bin/sh', '-c', 'echo "$$"; exec /bin/sh']);
  });

  it('tries bash before sh', () => {
    expect(SHELL_CANDIDATES).toEqual(['/bin/bash', '/bin/sh']);
  });

  it('really keeps the PID: the shell it execs reports the PID the wrapper printed', async () => {
    const [shell, ...args] = shellWrapperCommand('/bin/sh');
    const child = execFile(shell!, args);
    const output = new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(text));
    });
    child.stdin!.end('echo "$$"\n');
    const lines = (await output).trim().split('\n');
    expect(lines).toHaveLength(2);
    const [wrapperPid, shellPid] = lines.map(parsePidLine);
    expect(wrapperPid).toBe(child.pid);
    expect(shellPid).toBe(wrapperPid);
  });
});
