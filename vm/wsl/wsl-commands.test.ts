import { describe, expect, it } from 'vitest';
import {
  decodeWslOutput,
  importError,
  parseWslList,
  wslAvailability,
  wslCommands,
  wslUnavailableError,
  type WslCommandResult,
} from './wsl-commands.js';

const utf16 = (text: string) => Buffer.from(text, 'utf16le');
const result = (code: WslCommandResult['code'], stdout: string, stderr = ''): WslCommandResult => ({ code, stdout, stderr });

describe('wsl.exe command lines', () => {
  const commands = wslCommands('berth');

  it('imports as WSL 2 into the install folder from the tar', () => {
    expect(commands.import('C:\\Users\\me\\AppData\\Local\\Berth\\distro', 'C:\\Berth\\rootfs.tar')).toEqual([
      '--import',
      'berth',
      'C:\\Users\\me\\AppData\\Local\\Berth\\distro',
      'C:\\Berth\\rootfs.tar',
      '--version',
      '2',
    ]);
  });

  it("runs Berth's init as root without the login shell, not WSL's /init", () => {
    expect(commands.init).toEqual(['--distribution', 'berth', '--user', 'root', '--exec', '/usr/lib/berth/init', '--wsl']);
  });

  it('writes the configuration from a tar on stdin into a fresh 0700 folder', () => {
    expect(commands.writeConfig.slice(0, 6)).toEqual(['--distribution', 'berth', '--user', 'root', '--exec', '/bin/sh']);
    expect(commands.writeConfig.at(-1)).toBe(
      'umask 077 && rm -rf /var/lib/berth/config && mkdir -p /var/lib/berth/config && tar -x -f - -C /var/lib/berth/config',
    );
  });

  it('stops through init, terminates and unregisters by name', () => {
    expect(commands.requestStop.at(-1)).toBe('kill -TERM $(cat /run/berth/init.pid)');
    // Windows hands wsl.exe one command line: no argument carries a double quote to be escaped.
    for (const args of [commands.init, commands.writeConfig, commands.requestStop, commands.import('C:\\d', 'C:\\r.tar')]) {
      expect(args.filter((arg) => arg.includes('"'))).toEqual([]);
    }
    expect(commands.terminate).toEqual(['--terminate', 'berth']);
    expect(commands.unregister).toEqual(['--unregister', 'berth']);
    expect(commands.status).toEqual(['--status']);
    expect(commands.list).toEqual(['--list', '--verbose']);
    expect(wslCommands('berth-test').terminate).toEqual(['--terminate', 'berth-test']);
  });
});

describe("wsl.exe's output", () => {
  it('decodes UTF-16LE with and without a BOM, and UTF-8', () => {
    expect(decodeWslOutput(utf16('Default Version: 2\r\n'))).toBe('Default Version: 2\n');
    expect(decodeWslOutput(Buffer.concat([Buffer.from([0xff, 0xfe]), utf16('WSL version: 2.3.26.0\r\n')]))).toBe(
      'WSL version: 2.3.26.0\n',
    );
    expect(decodeWslOutput(Buffer.from('Version par défaut : 2\r\n', 'utf8'))).toBe('Version par défaut : 2\n');
    expect(decodeWslOutput(utf16('Version par défaut : 2'))).toBe('Version par défaut : 2');
    expect(decodeWslOutput(Buffer.alloc(0))).toBe('');
  });

  it('lists distributions by shape, whatever the language of the header', () => {
    const text = decodeWslOutput(
      utf16(
        '  NAME            STATE           VERSION\r\n* Ubuntu-22.04    Running         2\r\n  berth           Stopped         2\r\n  legacy          Stopped         1\r\n',
      ),
    );
    expect(parseWslList(text)).toEqual([
      { name: 'Ubuntu-22.04', state: 'Running', version: 2, isDefault: true },
      { name: 'berth', state: 'Stopped', version: 2, isDefault: false },
      { name: 'legacy', state: 'Stopped', version: 1, isDefault: false },
    ]);
    expect(parseWslList('  NOM      ÉTAT      VERSION\n  berth    Arrêté    2\n')).toEqual([
      { name: 'berth', state: 'Arrêté', version: 2, isDefault: false },
    ]);
    expect(parseWslList('Windows Subsystem for Linux has no installed distributions.\n')).toEqual([]);
  });
});

describe('is WSL 2 there?', () => {
  it('no wsl.exe at all: missing, with the install command', () => {
    const availability = wslAvailability(result('ENOENT', ''));
    expect(availability).toEqual({ kind: 'missing', detail: 'wsl.exe was not found' });
    if (availability.kind === 'wsl2') throw new Error('unreachable');
    expect(wslUnavailableError(availability).message).toMatch(/WSL is not installed.*wsl --install --no-distribution/);
  });

  it('the stub wsl.exe of a Windows without WSL: missing', () => {
    const stub =
      "The Windows Subsystem for Linux is not installed. You can install by running 'wsl.exe --install'.\nError code: Wsl/WSL_E_WSL_OPTIONAL_COMPONENT_REQUIRED";
    expect(wslAvailability(result(1, stub))).toMatchObject({
      kind: 'missing',
      detail: expect.stringContaining('is not installed') as string,
    });
  });

  it('WSL without the Virtual Machine Platform or the WSL 2 kernel: WSL 1 only', () => {
    const vmp =
      'Default Version: 1\nPlease enable the Virtual Machine Platform Windows feature and ensure virtualization is enabled in the BIOS.';
    const availability = wslAvailability(result(0, vmp));
    expect(availability).toEqual({
      kind: 'wsl1-only',
      detail: expect.stringMatching(/^Please enable the Virtual Machine Platform/) as string,
    });
    if (availability.kind === 'wsl2') throw new Error('unreachable');
    expect(wslUnavailableError(availability).message).toMatch(/only WSL 1.*wsl --install --no-distribution.*virtualisation/);
    expect(wslAvailability(result(0, 'Default Version: 2\nWSL 2 requires an update to its kernel component.'))).toMatchObject({
      kind: 'wsl1-only',
    });
  });

  it('a working WSL, with or without distributions yet', () => {
    expect(wslAvailability(result(0, 'Default Distribution: Ubuntu\nDefault Version: 2\n'))).toEqual({ kind: 'wsl2' });
    const empty = "Windows Subsystem for Linux has no installed distributions.\nUse 'wsl.exe --install <Distro>' to install.";
    expect(wslAvailability(result(4294967295, empty))).toEqual({ kind: 'wsl2' });
  });

  it("an import that fails for want of WSL 2 says so; another failure keeps WSL's words", () => {
    const noHyperV = result(1, 'Error code: Wsl/Service/RegisterDistro/CreateVm/HCS/HCS_E_HYPERV_NOT_INSTALLED');
    expect(importError(noHyperV, 'C:\\rootfs.tar').message).toMatch(/only WSL 1/);
    const noSpace = result(
      1,
      '',
      'There is not enough space on the disk.\nError code: Wsl/Service/RegisterDistro/ERROR_DISK_FULL',
    );
    expect(importError(noSpace, 'C:\\rootfs.tar').message).toBe(
      "WSL could not import Berth's distribution from C:\\rootfs.tar: There is not enough space on the disk.",
    );
  });
});
