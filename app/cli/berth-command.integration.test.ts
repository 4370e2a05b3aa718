/**
 * The real `berth` command against a real Berth in browser mode over the private dockerd, each on a
 * temporary state folder (XDG_STATE_HOME), never the user's: status, context, open, settings, diagnose, a second Berth on
 * one state folder, a stale and a foreign-owned control socket, unknown commands, and a headless Berth
 * started by `berth start` and ended by `berth quit`.
 */
import { spawn } from 'node:child_process';
import { chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitFor } from '../../engine/testing/wait-for.js';
import { EXIT } from './exit-codes.js';
import {
  outcomeOf,
  runBerthCli,
  spawnBrowserModeBerth,
  startBrowserModeBerth,
  type BrowserModeBerth,
} from './testing/berth-cli-process.js';

const dockerHost = inject('dockerHost');
const homes: string[] = [];
const newStateHome = () => {
  const home = mkdtempSync(join(tmpdir(), 'berth-cli-'));
  homes.push(home);
  return home;
};
afterAll(() => homes.forEach((home) => rmSync(home, { recursive: true, force: true })));

/** A socket file nobody listens on: what a Berth killed with SIGKILL leaves behind. */
async function leaveDeadSocket(path: string): Promise<void> {
  const child = spawn(process.execPath, [
    '-e',
    `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`,
  ]);
  await new Promise((resolve) => child.once('exit', resolve));
  expect(lstatSync(path).isSocket()).toBe(true);
}

describe('berth against a running Berth', () => {
  let home: string;
  let berth: BrowserModeBerth;

  beforeAll(async () => {
    home = newStateHome();
    berth = await startBrowserModeBerth(home, dockerHost);
  });
  afterAll(() => berth?.stop());

  it('status: the engine with its version, and the doors (text and --json)', async () => {
    const text = await runBerthCli(home, ['status']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Berth \d+\.\d+\.\d+ \(browser, pid \d+\)/);
    expect(text.stdout).toMatch(/Engine +connected: Docker \d+\.\d+/);
    expect(text.stdout).toContain(`Control socket  ${join(home, 'berth', 'control.sock')}`);
    expect(text.stdout).toContain(`Browser link    ${berth.url}`);

    const json = await runBerthCli(home, ['status', '--json']);
    expect(json.code).toBe(0);
    const status = JSON.parse(json.stdout) as Record<string, Record<string, unknown>>;
    expect(status.berth).toMatchObject({ shell: 'browser', pid: berth.child.pid });
    expect(status.engine).toMatchObject({ host: 'external', state: 'connected' });
    expect(status.engine!.version).toMatch(/^\d+\./);
    expect(status.doors).toMatchObject({
      dockerHost,
      browserLink: berth.url,
      controlSocket: join(home, 'berth', 'control.sock'),
    });
  });

  it('context prints the DOCKER_HOST line; open prints the link where there is no desktop', async () => {
    const context = await runBerthCli(home, ['context']);
    expect(context).toMatchObject({ code: 0, stdout: `DOCKER_HOST=${dockerHost}\n` });
    const open = await runBerthCli(home, ['open']);
    expect(open).toMatchObject({ code: 0, stdout: `${berth.url}\n` });
    const openJson = JSON.parse((await runBerthCli(home, ['open', '--json'])).stdout) as unknown;
    expect(openJson).toEqual({ link: berth.url, opened: false });
  });

  it('stop names why there is no VM to stop (the engine was chosen), through the contract', async () => {
    const stop = await runBerthCli(home, ['stop']);
    expect(stop.code).toBe(EXIT.failed);
    expect(stop.stderr).toMatch(/Berth is using the engine you chose \(.+\), not its VM/);
  });

  it("a second Berth on the same state folder refuses, naming the first one's socket", async () => {
    const second = await outcomeOf(spawnBrowserModeBerth(home, dockerHost));
    expect(second.code).toBe(1);
    expect(second.output).toContain(
      `Another Berth is running on this state folder (its control socket ${join(home, 'berth', 'control.sock')} answers)`,
    );
    // The first one is untouched.
    expect((await runBerthCli(home, ['status'])).code).toBe(0);
  });

  it('settings: set and get through the contract, a refused value names the range, an unknown key the closest one', async () => {
    const set = await runBerthCli(home, ['settings', 'set', 'vm.startOnLaunch', 'false']);
    expect(set).toMatchObject({ code: 0, stdout: 'vm.startOnLaunch = false\n' });
    expect(await runBerthCli(home, ['settings', 'get', 'vm.startOnLaunch'])).toMatchObject({ code: 0, stdout: 'false\n' });
    const file = JSON.parse(readFileSync(join(home, 'berth', 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(file['vm.startOnLaunch']).toBe(false);
    const refused = await runBerthCli(home, ['settings', 'set', 'vm.cpus', '100000']);
    expect(refused.code).toBe(EXIT.failed);
    expect(refused.stderr).toMatch(/vm\.cpus must be a whole number from 1 to \d+/);
    const unknown = await runBerthCli(home, ['settings', 'get', 'vm.cpu']);
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stderr).toMatch(/Unknown setting vm\.cpu\. Did you mean vm\.cpus\?/);
  });

  it('diagnose writes an archive and prints its path', async () => {
    const diagnose = await runBerthCli(home, ['diagnose', '--json']);
    expect(diagnose.code, diagnose.stderr).toBe(0);
    const archive = JSON.parse(diagnose.stdout) as { path: string; bytes: number };
    expect(archive.path.startsWith(join(home, 'berth', 'diagnostics'))).toBe(true);
    expect(statSync(archive.path).size).toBe(archive.bytes);
  });

  it('an unknown command or option gets the closest name and exit 2', async () => {
    const command = await runBerthCli(home, ['statsu']);
    expect(command.code).toBe(EXIT.usage);
    expect(command.stderr).toMatch(/Unknown command "statsu"\. Did you mean "berth status"\?/);
    const option = await runBerthCli(home, ['start', '--wiat', '--json']);
    expect(option.code).toBe(EXIT.usage);
    expect(option.stdout).toMatch(/Did you mean --wait\?/);
    expect(JSON.parse(option.stdout)).toMatchObject({
      error: { code: 'usage' },
    });
  });
});

describe('berth with no Berth, a stale socket, a foreign socket', () => {
  it('says Berth is not running, with exit 3', async () => {
    const status = await runBerthCli(newStateHome(), ['status', '--json']);
    expect(status.code).toBe(EXIT.notRunning);
    expect(JSON.parse(status.stdout)).toMatchObject({ error: { code: 'not-running' } });
  });

  it('a stale control socket is replaced by the next Berth', async () => {
    const home = newStateHome();
    mkdirSync(join(home, 'berth'), { mode: 0o700 });
    await leaveDeadSocket(join(home, 'berth', 'control.sock'));
    expect((await runBerthCli(home, ['status'])).code).toBe(EXIT.notRunning);
    const berth = await startBrowserModeBerth(home, dockerHost);
    try {
      expect((await runBerthCli(home, ['status'])).code).toBe(0);
      expect(lstatSync(join(home, 'berth', 'control.sock')).mode & 0o777).toBe(0o600);
    } finally {
      await berth.stop();
    }
    expect(existsSync(join(home, 'berth', 'control.sock'))).toBe(false);
  });

  it.skipIf(process.getuid?.() !== 0)(
    'a control socket owned by another user is refused by the command and by Berth',
    async () => {
      const home = newStateHome();
      const socket = join(home, 'berth', 'control.sock');
      mkdirSync(join(home, 'berth'), { mode: 0o700 });
      await leaveDeadSocket(socket);
      chownSync(socket, 65534, 65534);
      const status = await runBerthCli(home, ['status']);
      expect(status.code).toBe(EXIT.refused);
      expect(status.stderr).toContain(`Refused: the control socket ${socket} belongs to uid 65534, not to you`);
      const berth = await outcomeOf(spawnBrowserModeBerth(home, dockerHost));
      expect(berth.code).toBe(1);
      expect(berth.output).toContain(`the control socket ${socket} belongs to uid 65534`);
      expect(lstatSync(socket).uid).toBe(65534); // left as it was: it is not ours to remove
    },
  );
});

describe('a headless Berth through the command', () => {
  it('berth start starts one (detached, with a log), --wait waits for the engine, berth quit ends it', async () => {
    const home = newStateHome();
    const start = await runBerthCli(home, ['start', '--wait', '--timeout', '60', '--engine', dockerHost]);
    expect(start.code, start.stderr + start.stdout).toBe(0);
    expect(start.stdout).toMatch(/Started a headless Berth \(pid (\d+)\); its log: .*headless\.log/);
    expect(start.stdout).toMatch(/Engine: connected/);
    const status = JSON.parse((await runBerthCli(home, ['status', '--json'])).stdout) as {
      berth: { shell: string; pid: number; logFile: string };
    };
    expect(status.berth).toMatchObject({ shell: 'headless', logFile: join(home, 'berth', 'headless.log') });

    // A second start finds it running and starts nothing.
    const again = await runBerthCli(home, ['start', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ started: false, pid: status.berth.pid });

    const quit = await runBerthCli(home, ['quit']);
    expect(quit).toMatchObject({ code: 0, stdout: `Berth (pid ${status.berth.pid}) has ended.\n` });
    expect(existsSync(join(home, 'berth', 'control.sock'))).toBe(false);
    // It closes its control socket last, then exits.
    await waitFor('the headless Berth to exit', () => {
      try {
        process.kill(status.berth.pid, 0);
        return false;
      } catch {
        return true;
      }
    });
  });
});
