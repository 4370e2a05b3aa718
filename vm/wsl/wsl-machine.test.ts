import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toDisposable } from '../../base/index.js';
import { ensureTlsMaterial } from '../host/tls-material.js';
import { ROOTFS_TAR_REQUIRED } from '../image/rootfs-tar.js';
import type { VmState } from '../lifecycle/vm-state.js';
import type { EnginePingTarget } from '../qemu/engine-ping.js';
import { VmError } from '../vm-error.js';
import { FakeWslRunner } from './fake-wsl-runner.js';
import { ENGINE_PIPE_PATH } from './named-pipe-relay.js';
import { WslMachine, type WslMachineOptions } from './wsl-machine.js';

const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-wsl-machine-'));
let dir: string;
let stateDir: string;
let imageDir: string;
let wsl: FakeWslRunner;
let machine: WslMachine;
let states: VmState[];
let pings: EnginePingTarget[];

/** A rootfs.tar with what the check wants, and its SHA256SUMS line. */
function makeImage(sum = 'a'.repeat(64)): void {
  const tree = path.join(shared, 'tree');
  if (!fs.existsSync(tree)) {
    for (const { name } of ROOTFS_TAR_REQUIRED.filter((entry) => entry.type === 'file')) {
      fs.mkdirSync(path.join(tree, path.dirname(name)), { recursive: true });
      fs.writeFileSync(path.join(tree, name), name, { mode: 0o755 });
    }
    fs.symlinkSync('/usr/bin/busybox', path.join(tree, 'usr/bin/sh'));
    fs.symlinkSync('usr/bin', path.join(tree, 'bin'));
  }
  execFileSync('tar', ['-C', tree, '-cf', path.join(imageDir, 'rootfs.tar'), '.']);
  fs.writeFileSync(path.join(imageDir, 'SHA256SUMS'), `${sum}  rootfs.tar\n`);
}

function createMachine(options: Partial<WslMachineOptions> = {}): WslMachine {
  const created = new WslMachine({
    stateDir,
    imageDir,
    runner: wsl,
    pipePath: path.join(dir, 'berth-engine.sock'), // the relay listens on a unix socket here
    dockerContext: false,
    enginePort: async () => 40123,
    pingEngine: async (target) => {
      pings.push(target);
    },
    driveExists: (root) => root === 'C:\\' || root === 'D:\\',
    ...options,
  });
  created.onStateChange((state) => states.push(state));
  return created;
}

function startSteps(): string[] {
  return states.flatMap((state) => (state.kind === 'starting' ? [state.step] : [state.kind]));
}

async function startError(target: WslMachine = machine): Promise<VmError> {
  const error = await target.start().then(
    () => null,
    (caught: unknown) => caught,
  );
  if (error instanceof VmError) return error;
  throw new Error(`expected a VmError, got ${String(error)}`);
}

beforeAll(async () => {
  await ensureTlsMaterial(path.join(shared, 'tls'));
});

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(shared, 'case-'));
  stateDir = path.join(dir, 'state');
  imageDir = path.join(dir, 'image');
  fs.mkdirSync(imageDir);
  fs.mkdirSync(stateDir);
  fs.cpSync(path.join(shared, 'tls'), path.join(stateDir, 'tls'), { recursive: true });
  makeImage();
  wsl = new FakeWslRunner();
  states = [];
  pings = [];
  machine = createMachine();
});

afterEach(() => {
  machine.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the WSL 2 machine', () => {
  it('first start: checks WSL, imports, hands over the configuration, runs init, and is running', async () => {
    await machine.start();
    expect(startSteps()).toEqual(['preparing', 'importing', 'booting-kernel', 'starting-engine', 'connecting', 'running']);
    expect(states.map((state) => (state.kind === 'starting' ? `${state.stepIndex + 1}/${state.stepCount}` : state.kind))).toEqual(
      ['1/5', '2/5', '3/5', '4/5', '5/5', 'running'],
    );
    const c = wsl.commands;
    expect(wsl.commandLines).toEqual([
      c.status.join(' '),
      c.list.join(' '),
      `--import berth ${path.join(stateDir, 'distro')} ${path.join(imageDir, 'rootfs.tar')} --version 2`,
      c.writeConfig.join(' '),
      '--distribution berth --user root --exec /usr/lib/berth/init --wsl',
    ]);
    // The configuration tar carries the server's TLS files and the engine port, never the CA key.
    const configTarPath = path.join(dir, 'config.tar');
    fs.writeFileSync(configTarPath, wsl.calls[3]!.input!);
    expect(execFileSync('tar', ['-tf', configTarPath], { encoding: 'utf8' }).trim().split('\n')).toEqual([
      'ca.pem',
      'server-cert.pem',
      'server-key.pem',
      'engine-port',
    ]);
    expect(execFileSync('tar', ['-xOf', configTarPath, 'engine-port'], { encoding: 'utf8' })).toBe('40123\n');

    const endpoint = machine.endpoint();
    expect(endpoint).toMatchObject({ kind: 'tcp', host: '127.0.0.1', port: 40123 });
    expect(endpoint.kind === 'tcp' && endpoint.tls?.cert).toBe(fs.readFileSync(path.join(stateDir, 'tls', 'cert.pem'), 'utf8'));
    expect(pings.map((ping) => ping.port)).toEqual([40123]);
    expect(machine.hostSocketPath).toBe(path.join(dir, 'berth-engine.sock'));
    expect(fs.statSync(machine.hostSocketPath!).isSocket()).toBe(true);
    expect(machine.consoleTail()).toEqual([
      'BERTH-STEP rootfs t=0.01',
      'BERTH-STEP config t=0.02',
      'BERTH-STEP engine t=0.05',
      'BERTH-STEP network t=0.3',
      'BERTH-READY t=0.9',
    ]);
    expect(fs.readFileSync(path.join(stateDir, 'wsl-imported-image.txt'), 'utf8')).toBe(`${'a'.repeat(64)}\n`);
    expect(machine.sharedFolders).toEqual(['C:\\', 'D:\\']);
  });

  it('a later start skips the import and ends what a dead Berth left running first', async () => {
    wsl.distros.set('berth', 2);
    await machine.start();
    expect(startSteps()).toEqual(['preparing', 'booting-kernel', 'starting-engine', 'connecting', 'running']);
    expect(wsl.commandLines.slice(0, 4)).toEqual([
      wsl.commands.status.join(' '),
      wsl.commands.list.join(' '),
      wsl.commands.terminate.join(' '),
      wsl.commands.writeConfig.join(' '),
    ]);
    expect(machine.notice).toBeNull();
  });

  it('says when the image is newer than the distribution it imported', async () => {
    await machine.start();
    await machine.stop();
    makeImage('b'.repeat(64));
    await machine.start();
    expect(machine.notice).toMatch(/engine image was updated.*until the engine is reset/);
  });

  it('stops through init (SIGTERM), then terminates the distribution', async () => {
    await machine.start();
    states.length = 0;
    const before = wsl.calls.length;
    await machine.stop();
    expect(states.map((state) => state.kind)).toEqual(['stopping', 'stopped']);
    expect(wsl.commandLines.slice(before)).toEqual([wsl.commands.requestStop.join(' '), wsl.commands.terminate.join(' ')]);
    expect(machine.hostSocketPath).toBeNull();
    expect(fs.existsSync(path.join(dir, 'berth-engine.sock'))).toBe(false);
    expect(() => machine.endpoint()).toThrow(/stopped, not running/);
    expect(machine.consoleTail().at(-1)).toBe('BERTH-POWEROFF t=9.4');
  });

  it('an init that does not stop in time is ended by terminate', async () => {
    machine = createMachine({ stopTimeoutMs: 50 });
    wsl.stopsOnRequest = false;
    await machine.start();
    await machine.stop();
    expect(machine.state).toEqual({ kind: 'stopped' });
    expect(wsl.commandLines.at(-1)).toBe(wsl.commands.terminate.join(' '));
  });

  it('a crash while running is an error with the exit and the last lines', async () => {
    await machine.start();
    wsl.lastInit.print('BERTH-ERROR engine: dockerd exited', 'panic: runtime error');
    wsl.lastInit.exit('exit code 1');
    await wsl.lastInit.exitStatus;
    expect(machine.state).toEqual({
      kind: 'error',
      failure: {
        during: 'running',
        message: 'The VM stopped unexpectedly.',
        exitStatus: 'wsl.exe exit code 1',
        consoleTail: expect.arrayContaining(['BERTH-ERROR engine: dockerd exited', 'panic: runtime error']) as string[],
      },
    });
    expect(machine.hostSocketPath).toBeNull();
    // Start is the way out of an error.
    await machine.start();
    expect(machine.state.kind).toBe('running');
  });

  it('an error reported by init fails the start at its step, and nothing is left running', async () => {
    wsl.boot = (init) => init.print('BERTH-STEP config t=0.02', 'BERTH-ERROR engine: TLS material missing');
    const error = await startError();
    expect(error.message).toBe("The engine's init in WSL reported: engine: TLS material missing");
    expect(machine.state).toMatchObject({ kind: 'error', failure: { during: 'booting-kernel', exitStatus: null } });
    expect(wsl.lastInit.killed).toBe(true);
    expect(wsl.commandLines.at(-1)).toBe(wsl.commands.terminate.join(' '));
    expect(machine.hostSocketPath).toBeNull();
  });

  it('an init that exits before it is ready fails the start with its exit', async () => {
    wsl.boot = (init) => {
      init.print('BERTH-STEP engine t=0.05');
      init.exit('exit code 127');
    };
    await expect(machine.start()).rejects.toThrow(/exit code 127/);
    expect(machine.state).toMatchObject({
      kind: 'error',
      failure: { during: 'starting-engine', exitStatus: 'wsl.exe exit code 127' },
    });
  });

  it('WSL missing: the install command, before anything is imported', async () => {
    wsl.status = { code: 'ENOENT', stdout: '', stderr: '' };
    const error = await startError();
    expect(error.message).toMatch(
      /WSL is not installed on this computer \(wsl\.exe was not found\)\. Install WSL 2 with "wsl --install --no-distribution"/,
    );
    expect(machine.state).toMatchObject({ kind: 'error', failure: { during: 'preparing' } });
    expect(wsl.commandLines).toEqual([wsl.commands.status.join(' ')]);
  });

  it('WSL 1 only: says so from the status, or from the import that needed WSL 2', async () => {
    wsl.status = { code: 0, stdout: 'Default Version: 1\nWSL 2 requires an update to its kernel component.\n', stderr: '' };
    expect((await startError()).message).toMatch(
      /only WSL 1 \(WSL 2 requires an update to its kernel component\.\).*wsl --install/,
    );

    wsl.status = { code: 0, stdout: 'Default Version: 2\n', stderr: '' };
    wsl.importResult = {
      code: 1,
      stdout: 'Error code: Wsl/Service/RegisterDistro/CreateVm/HCS/HCS_E_HYPERV_NOT_INSTALLED\n',
      stderr: '',
    };
    expect((await startError()).message).toMatch(/only WSL 1/);
    expect(machine.state).toMatchObject({ kind: 'error', failure: { during: 'importing' } });
  });

  it('an existing WSL 1 distribution of that name is refused with the command that converts it', async () => {
    wsl.distros.set('berth', 1);
    expect((await startError()).message).toMatch(/is a WSL 1 distribution.*wsl --set-version berth 2/);
  });

  it('a damaged rootfs.tar is refused before the import, with the rebuild', async () => {
    fs.writeFileSync(path.join(imageDir, 'rootfs.tar'), Buffer.alloc(700, 1));
    const error = await startError();
    expect(error.rebuild).toBe(true);
    expect(error.message).toMatch(/rootfs\.tar is damaged/);
    expect(wsl.commandLines.some((line) => line.startsWith('--import'))).toBe(false);
  });

  it('reset unregisters the distribution; the next start imports a fresh one', async () => {
    await machine.start();
    await machine.factoryReset();
    expect(machine.state).toEqual({ kind: 'stopped' });
    expect(wsl.distros.size).toBe(0);
    expect(wsl.commandLines).toContain(wsl.commands.unregister.join(' '));
    expect(fs.existsSync(path.join(stateDir, 'tls', 'ca.pem'))).toBe(true); // TLS and settings stay
    states.length = 0;
    await machine.start();
    expect(startSteps()).toContain('importing');
  });

  it('points the berth docker context at the named pipe', async () => {
    const cli = path.join(dir, 'docker');
    const log = path.join(dir, 'docker-calls');
    fs.writeFileSync(cli, `#!/bin/sh\nprintf '%s\\n' "$*" >>'${log}'\n[ "$2" = inspect ] && exit 1\nexit 0\n`, { mode: 0o755 });
    let relayPath = '';
    machine = createMachine({
      pipePath: ENGINE_PIPE_PATH,
      dockerContext: { cli },
      listenRelay: async (options) => {
        relayPath = options.path;
        return toDisposable(() => undefined);
      },
    });
    await machine.start();
    expect(relayPath).toBe('\\\\.\\pipe\\berth-engine');
    expect(machine.hostSocketPath).toBe('\\\\.\\pipe\\berth-engine');
    expect(machine.dockerContext).toEqual({ status: 'created', name: 'berth', host: 'npipe:////./pipe/berth-engine' });
    expect(fs.readFileSync(log, 'utf8')).toContain(
      'context create berth --description Berth: the engine in the Berth VM --docker host=npipe:////./pipe/berth-engine',
    );
  });

  it('settings: only "start on launch" is Berth\'s under WSL 2', async () => {
    const view = machine.settings();
    expect(view.settings.sharedFolders).toEqual(['C:\\', 'D:\\']);
    await expect(machine.updateSettings({ ...view.settings, cpus: view.settings.cpus + 1 })).rejects.toThrow(/\.wslconfig/);
    await expect(machine.updateSettings({ ...view.settings, sharedFolders: ['C:\\src'] })).rejects.toThrow(
      /every drive is shared/,
    );
    const updated = await machine.updateSettings({ ...view.settings, startOnLaunch: !view.settings.startOnLaunch });
    expect(updated).toEqual({ settings: { ...view.settings, startOnLaunch: !view.settings.startOnLaunch }, needsRestart: false });
    expect(machine.settings().settings.startOnLaunch).toBe(!view.settings.startOnLaunch);
  });
});
