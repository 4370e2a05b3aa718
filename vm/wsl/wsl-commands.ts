/**
 * The exact `wsl.exe` command lines Berth runs, and what it reads back from them. Pure: WslMachine runs
 * these through an injected runner, so every argument list is unit-tested without Windows.
 *
 * wsl.exe writes its own messages (status, version, lists, errors) in UTF-16LE unless WSL_UTF8=1 is
 * set (honoured by WSL 0.64 and later); the runner sets it and decodeWslOutput copes with either.
 * What a Linux program prints through `wsl -d … --exec` is that program's own bytes (UTF-8).
 */
import { VmError } from '../vm-error.js';

export const WSL_EXE = 'wsl.exe';
/** Berth's distribution: one per Windows user. */
export const DEFAULT_DISTRO_NAME = 'berth';
/**
 * Berth's init inside the distribution. Not /init: WSL puts its own init there in every WSL2
 * distribution, so build-image.sh installs init.sh a second time under this path.
 */
export const WSL_INIT_PATH = '/usr/lib/berth/init';
/** Where the per-start configuration (TLS material, daemon.json, the engine port) is written in the distribution. */
export const WSL_CONFIG_DIR = '/var/lib/berth/config';
/** init.sh writes its pid here under WSL, for a graceful stop (it is not PID 1 there). */
export const WSL_INIT_PID_FILE = '/run/berth/init.pid';

const INSTALL_HINT =
  'Install WSL 2 with "wsl --install --no-distribution" in an administrator terminal (it also turns on the Virtual Machine Platform), restart Windows, and start Berth again.';

/** Runs a command as root in the distribution, without the login shell (no quoting surprises). */
function asRoot(distro: string, ...command: string[]): string[] {
  return ['--distribution', distro, '--user', 'root', '--exec', ...command];
}

export function wslCommands(distro: string = DEFAULT_DISTRO_NAME) {
  return {
    /** Installed at all, and the default version; fails with the install hint when WSL is missing. */
    status: ['--status'],
    /** The Store WSL's versions (the inbox WSL of older Windows 10 builds does not know --version). */
    version: ['--version'],
    /** NAME STATE VERSION of every distribution (parseWslList). */
    list: ['--list', '--verbose'],
    /** Makes the distribution from Berth's root file system tar, always as WSL 2. */
    import: (installDir: string, tarPath: string) => ['--import', distro, installDir, tarPath, '--version', '2'],
    /** Berth's init in the foreground: its output is the distribution's console. */
    init: asRoot(distro, WSL_INIT_PATH, '--wsl'),
    /** Reads a tar of the configuration files on stdin into WSL_CONFIG_DIR (0700, files 0600), replacing the last start's. */
    writeConfig: asRoot(
      distro,
      '/bin/sh',
      '-c',
      `umask 077 && rm -rf ${WSL_CONFIG_DIR} && mkdir -p ${WSL_CONFIG_DIR} && tar -x -f - -C ${WSL_CONFIG_DIR}`,
    ),
    /**
     * Asks init to stop dockerd and exit (SIGTERM, as the power button does under QEMU). No double quotes
     * in any argument: Windows passes wsl.exe one command line, and quotes would need escaping rules to
     * survive it (the pid is a number: nothing to quote).
     */
    requestStop: asRoot(distro, '/bin/sh', '-c', `kill -TERM $(cat ${WSL_INIT_PID_FILE})`),
    /** Ends every process of the distribution at once (WSL's "power off"). */
    terminate: ['--terminate', distro],
    /** Deletes the distribution and its disk (images, containers, volumes): the factory reset. */
    unregister: ['--unregister', distro],
  };
}

/** wsl.exe's output as text: UTF-16LE (with or without a BOM) or UTF-8, CRLF made LF, NULs dropped. */
export function decodeWslOutput(bytes: Buffer): string {
  let text: string;
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) text = bytes.subarray(2).toString('utf16le');
  else if (looksUtf16le(bytes)) text = bytes.toString('utf16le');
  else text = bytes.toString('utf8');
  return text.replace(/\0/g, '').replace(/\r\n?/g, '\n');
}

/** ASCII text in UTF-16LE has a zero in most odd bytes; UTF-8 text has none. */
function looksUtf16le(bytes: Buffer): boolean {
  const pairs = Math.floor(bytes.length / 2);
  if (pairs === 0) return false;
  let zeros = 0;
  for (let i = 1; i < bytes.length; i += 2) if (bytes[i] === 0) zeros += 1;
  return zeros / pairs > 0.5;
}

export interface WslDistro {
  name: string;
  state: string;
  version: 1 | 2;
  isDefault: boolean;
}

/**
 * `wsl --list --verbose`:
 *     NAME      STATE           VERSION
 *   * Ubuntu    Running         2
 *     berth     Stopped         2
 * The header's words are translated on non-English Windows, so lines are read by shape, not by title.
 */
export function parseWslList(text: string): WslDistro[] {
  const distros: WslDistro[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*(\*)?\s*(\S+)\s+(\S+)\s+([12])\s*$/.exec(line);
    if (match)
      distros.push({ name: match[2]!, state: match[3]!, version: Number(match[4]) as 1 | 2, isDefault: match[1] === '*' });
  }
  return distros;
}

/** What `wsl --status` and a failed `wsl --import` say about this computer's WSL. */
export type WslAvailability = { kind: 'wsl2' } | { kind: 'missing'; detail: string } | { kind: 'wsl1-only'; detail: string };

/** The result of running wsl.exe: its exit code, or 'ENOENT' when there is no wsl.exe at all. */
export interface WslCommandResult {
  code: number | 'ENOENT';
  stdout: string;
  stderr: string;
}

/** Messages WSL prints when WSL 2 cannot run (no Virtual Machine Platform, no WSL 2 kernel, no virtualisation). */
const WSL2_UNAVAILABLE =
  /Virtual Machine Platform|VirtualMachinePlatform|kernel component|HCS_E_HYPERV_NOT_INSTALLED|WSL_E_WSL2_NEEDS_VMP|WSL 2 (is not supported|requires)|virtuali[sz]ation/i;
/** Messages WSL prints when it is not installed (wsl.exe is then only the stub that offers to install it). */
const WSL_NOT_INSTALLED = /is not installed|optional component is not enabled|WSL_E_WSL_OPTIONAL_COMPONENT_REQUIRED/i;

export function wslAvailability(status: WslCommandResult): WslAvailability {
  if (status.code === 'ENOENT') return { kind: 'missing', detail: 'wsl.exe was not found' };
  const text = `${status.stdout}\n${status.stderr}`.trim();
  // The line that says what is wrong, for the message.
  const saying = (pattern: RegExp) => (text.split('\n').find((line) => pattern.test(line)) ?? `exit code ${status.code}`).trim();
  if (WSL2_UNAVAILABLE.test(text)) return { kind: 'wsl1-only', detail: saying(WSL2_UNAVAILABLE) };
  // A WSL with no distribution yet says so and suggests `wsl --install <Distro>`: that is installed.
  if (WSL_NOT_INSTALLED.test(text)) return { kind: 'missing', detail: saying(WSL_NOT_INSTALLED) };
  return { kind: 'wsl2' };
}

/** The error a person reads when WSL 2 cannot run Berth's engine, with what to do about it. */
export function wslUnavailableError(availability: Exclude<WslAvailability, { kind: 'wsl2' }>): VmError {
  if (availability.kind === 'missing') {
    return new VmError(
      `Berth runs its engine in WSL 2, and WSL is not installed on this computer (${availability.detail}). ${INSTALL_HINT}`,
    );
  }
  return new VmError(
    `WSL is installed but cannot run WSL 2 distributions, only WSL 1 (${availability.detail}); Berth's engine needs WSL 2. ${INSTALL_HINT} If it still fails, turn on virtualisation in the computer's firmware settings.`,
  );
}

/** A failed import: WSL 2 missing after all (the status looked fine), or the message WSL gave. */
export function importError(result: WslCommandResult, tarPath: string): VmError {
  const availability = wslAvailability({ ...result, code: result.code === 0 ? 1 : result.code });
  if (availability.kind !== 'wsl2') return wslUnavailableError(availability);
  const reason = `${result.stderr}\n${result.stdout}`.trim().split('\n')[0] || `exit code ${result.code}`;
  return new VmError(`WSL could not import Berth's distribution from ${tarPath}: ${reason}`);
}
