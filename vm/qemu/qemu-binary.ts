/**
 * Finds the QEMU programs a start needs (PATH, then the profile's folders: Homebrew's prefixes and the
 * app's resources on macOS) and reads what the system program is: its version (`--version`) and the
 * accelerators it was built with (`-accel help`). A missing or too old QEMU is one sentence naming what
 * to install, before anything is started, rather than a spawn ENOENT or an unknown option mid-boot.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { VmError } from '../vm-error.js';
import { formatQemuVersion, isOlderThan, qemuSearchDirs, type QemuProfile, type QemuVersion } from './qemu-profile.js';

export interface QemuInstallation {
  /** Full path of qemu-system-x86_64 or qemu-system-aarch64. */
  qemuSystem: string;
  qemuImg: string;
  version: QemuVersion;
  /** What `-accel help` lists: tcg, kvm, hvf, ... */
  accelerators: string[];
}

/** Runs a program and resolves with its stdout and stderr together (QEMU prints help to stdout). */
export type RunProgram = (file: string, args: string[]) => Promise<string>;

const PROBE_TIMEOUT_MS = 10_000;

const runProgram: RunProgram = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { timeout: PROBE_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${stderr}${stdout}`.trim() || error.message));
      else resolve(`${stdout}${stderr}`);
    });
  });

export function findProgram(name: string, dirs: readonly string[]): string | null {
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18)" -> 7.2.22; null when it says no such thing. */
export function parseQemuVersion(text: string): QemuVersion | null {
  const match = /QEMU emulator version (\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) return null;
  return { major: Number(match[1]), minor: Number(match[2]), micro: Number(match[3] ?? 0) };
}

/** The names under "Accelerators supported in QEMU binary:" of `-accel help`. */
export function parseAccelerators(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^Accelerators supported/i.test(line));
  if (start < 0) return [];
  return lines
    .slice(start + 1)
    .map((line) => line.trim())
    .filter((line) => /^[a-z0-9_-]+$/.test(line));
}

function where(profile: QemuProfile): string {
  return profile.extraDirs.length > 0 ? `on the PATH or in ${profile.extraDirs.join(', ')}` : 'on the PATH';
}

/**
 * The QEMU this profile runs, checked: both programs found, the system program's version at least the
 * profile's minimum. Throws a VmError saying what is missing or too old and what to install.
 */
export async function requireQemu(
  profile: QemuProfile,
  searchPath = process.env.PATH ?? '',
  run: RunProgram = runProgram,
): Promise<QemuInstallation> {
  const dirs = qemuSearchDirs(profile, searchPath);
  const qemuSystem = findProgram(profile.systemProgram, dirs);
  if (!qemuSystem) {
    throw new VmError(
      `QEMU is not installed (no ${profile.systemProgram} ${where(profile)}). Install it with: ${profile.installHint.system}.`,
    );
  }
  const qemuImg = findProgram('qemu-img', [path.dirname(qemuSystem), ...dirs]);
  if (!qemuImg) {
    throw new VmError(
      `QEMU's disk tool is not installed (no qemu-img ${where(profile)}). Install it with: ${profile.installHint.img}.`,
    );
  }
  const [versionText, acceleratorText] = await Promise.all([
    run(qemuSystem, ['--version']).catch((error: Error) => error.message),
    run(qemuSystem, ['-accel', 'help']).catch(() => ''),
  ]);
  const version = parseQemuVersion(versionText);
  if (!version) {
    const said = versionText.trim().split('\n')[0]?.slice(0, 200) ?? '';
    throw new VmError(
      `Could not read the version of ${qemuSystem} (\`--version\` printed ${said ? `"${said}"` : 'nothing'}). Reinstall QEMU with: ${profile.installHint.system}.`,
    );
  }
  if (isOlderThan(version, profile.minVersion)) {
    const minimum = `${profile.minVersion.major}.${profile.minVersion.minor}`;
    throw new VmError(
      `QEMU ${formatQemuVersion(version)} (${qemuSystem}) is too old: Berth needs QEMU ${minimum} or newer on ${profile.hostName} (${profile.minVersionReason}). Install a newer QEMU with: ${profile.installHint.system}.`,
    );
  }
  return { qemuSystem, qemuImg, version, accelerators: parseAccelerators(acceleratorText) };
}
