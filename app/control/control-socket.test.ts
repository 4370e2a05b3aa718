import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { controlSocketPath, controlSocketProblem, probeControlSocket } from './control-socket.js';

const folders: string[] = [];
function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-control-'));
  chmodSync(dir, 0o700);
  folders.push(dir);
  return dir;
}
afterEach(() => folders.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('controlSocketProblem', () => {
  it('has none for a private folder without a socket', () => {
    const dir = stateDir();
    expect(controlSocketProblem(controlSocketPath(dir), dir)).toBeNull();
  });

  it('refuses a folder others may write to, and a file that is not a socket', () => {
    const dir = stateDir();
    chmodSync(dir, 0o777);
    expect(controlSocketProblem(controlSocketPath(dir), dir)).toMatch(
      /will not use the control socket: its state folder .* may be written by its group and everyone/,
    );
    chmodSync(dir, 0o700);
    writeFileSync(controlSocketPath(dir), '');
    expect(controlSocketProblem(controlSocketPath(dir), dir)).toMatch(/control\.sock is not a socket/);
  });

  it('refuses a socket of another uid', async () => {
    const dir = stateDir();
    const server = net.createServer().listen(controlSocketPath(dir));
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const me = process.getuid!();
      expect(controlSocketProblem(controlSocketPath(dir), dir, me)).toBeNull();
      // The folder check runs first: a folder of "someone else" is named as such.
      expect(controlSocketProblem(controlSocketPath(dir), dir, me + 1)).toMatch(/belongs to .*not to you/);
    } finally {
      server.close();
    }
  });
});

describe('probeControlSocket', () => {
  it('tells absent, live and stale apart', async () => {
    const dir = stateDir();
    const path = controlSocketPath(dir);
    expect(await probeControlSocket(path)).toBe('absent');
    const server = net.createServer().listen(path);
    await new Promise((resolve) => server.once('listening', resolve));
    expect(await probeControlSocket(path)).toBe('live');
    // A path nobody listens on is stale (the integration test leaves a real dead socket).
    writeFileSync(join(dir, 'plain'), '');
    expect(await probeControlSocket(join(dir, 'plain'))).toBe('stale');
    await new Promise((resolve) => server.close(resolve));
  });
});
