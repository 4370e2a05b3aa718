import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWslRunner } from './wsl-runner.js';

let dir: string;
/** A stand-in for wsl.exe: a shell script given as the executable. */
function standIn(script: string): string {
  const file = path.join(dir, 'wsl-standin.sh');
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return file;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-wsl-runner-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the wsl.exe runner', () => {
  it("decodes wsl.exe's UTF-16LE output, passes the arguments and stdin, and reports the exit code", async () => {
    // "OK\r\n" in UTF-16LE, then the arguments and what came on stdin, in UTF-8 on stderr.
    const runner = createWslRunner({
      executable: standIn('printf "O\\000K\\000\\r\\000\\n\\000"; printf "%s\\n" "$WSL_UTF8 $*" >&2; cat >&2; exit 3'),
    });
    const result = await runner.run(['--import', 'berth', 'C:\\d', 'C:\\r.tar', '--version', '2'], {
      input: Buffer.from('tar bytes'),
    });
    expect(result).toEqual({ code: 3, stdout: 'OK\n', stderr: '1 --import berth C:\\d C:\\r.tar --version 2\ntar bytes' });
  });

  it('says ENOENT when there is no wsl.exe', async () => {
    const result = await createWslRunner({ executable: path.join(dir, 'no-such-wsl.exe') }).run(['--status']);
    expect(result.code).toBe('ENOENT');
  });

  it('gives up on a command that hangs', async () => {
    const result = await createWslRunner({ executable: standIn('exec sleep 30') }).run(['--status'], { timeoutMs: 200 });
    expect(result.code).toBe(-1);
    expect(result.stderr).toMatch(/did not finish within 0.2 s/);
  });

  it("follows a long-running process's lines from both streams and its exit", async () => {
    const process = createWslRunner({
      executable: standIn('echo "BERTH-STEP config t=0.1"; echo oops >&2; printf "BERTH-READY t=1"; exit 0'),
    }).spawn(['-d', 'berth']);
    const lines: string[] = [];
    process.onLine((line) => lines.push(line));
    expect(await process.exitStatus).toBe('exit code 0');
    expect(process.running).toBe(false);
    expect(lines.sort()).toEqual(['BERTH-READY t=1', 'BERTH-STEP config t=0.1', 'oops']);
  });

  it('kill ends it with a signal', async () => {
    const process = createWslRunner({ executable: standIn('exec sleep 30') }).spawn([]);
    expect(process.running).toBe(true);
    process.kill();
    expect(await process.exitStatus).toBe('signal SIGTERM');
  });
});
