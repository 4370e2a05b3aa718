import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostPlatform } from '../platform/host-platform.js';
import { VmError } from '../vm-error.js';
import { parseAccelerators, parseQemuVersion, requireQemu, type RunProgram } from './qemu-binary.js';
import { qemuProfile } from './qemu-profile.js';

const made: string[] = [];
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function binDir(names: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bin-'));
  made.push(dir);
  for (const name of names) fs.writeFileSync(path.join(dir, name), '#!/bin/sh\n', { mode: 0o755 });
  return dir;
}

const linux = qemuProfile(hostPlatform({ os: 'linux', arch: 'x64' }));
const linuxArm = qemuProfile(hostPlatform({ os: 'linux', arch: 'arm64' }));
const appleSilicon = qemuProfile(hostPlatform({ os: 'darwin', arch: 'arm64' }));
const intelMac = qemuProfile(hostPlatform({ os: 'darwin', arch: 'x64' }));

/** A fake QEMU answering --version and -accel help. */
const answers =
  (version: string, accelerators = ['tcg']): RunProgram =>
  (_file, args) =>
    Promise.resolve(
      args[0] === '--version'
        ? `QEMU emulator version ${version}\nCopyright (c) 2003-2025 Fabrice Bellard and the QEMU Project developers\n`
        : `Accelerators supported in QEMU binary:\n${accelerators.join('\n')}\n`,
    );

describe('parseQemuVersion and parseAccelerators', () => {
  it('reads distribution and Homebrew version lines', () => {
    expect(parseQemuVersion('QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)')).toEqual({
      major: 7,
      minor: 2,
      micro: 22,
    });
    expect(parseQemuVersion('QEMU emulator version 10.0.2\n')).toEqual({ major: 10, minor: 0, micro: 2 });
    expect(parseQemuVersion('QEMU emulator version 9.1')).toEqual({ major: 9, minor: 1, micro: 0 });
    expect(parseQemuVersion('qemu-system-x86_64: unknown option')).toBeNull();
  });

  it('lists the accelerators QEMU was built with', () => {
    expect(parseAccelerators('Accelerators supported in QEMU binary:\ntcg\nhvf\n')).toEqual(['tcg', 'hvf']);
    expect(parseAccelerators('nothing useful')).toEqual([]);
  });
});

describe('requireQemu', () => {
  it('names the Debian package for the host CPU when QEMU is missing', async () => {
    await expect(requireQemu(linux, binDir([]), answers('7.2.0'))).rejects.toThrow(VmError);
    await expect(requireQemu(linux, binDir([]), answers('7.2.0'))).rejects.toThrow(
      "QEMU is not installed (no qemu-system-x86_64 on the PATH). Install it with: sudo apt-get install qemu-system-x86 (Debian, Ubuntu), or your distribution's QEMU package.",
    );
    await expect(requireQemu(linuxArm, binDir([]), answers('7.2.0'))).rejects.toThrow(/no qemu-system-aarch64 .*qemu-system-arm/);
  });

  it('says where it looked on macOS and to use brew', async () => {
    // The Homebrew folders may exist on a Mac running this test: a bundled folder is not the point here.
    if (process.platform === 'darwin') return;
    await expect(requireQemu(appleSilicon, binDir([]), answers('9.0.0'))).rejects.toThrow(
      'QEMU is not installed (no qemu-system-aarch64 on the PATH or in /opt/homebrew/bin, /usr/local/bin). Install it with: brew install qemu.',
    );
  });

  it('names qemu-utils when only qemu-img is missing', async () => {
    await expect(requireQemu(linux, binDir(['qemu-system-x86_64']), answers('7.2.0'))).rejects.toThrow(
      /no qemu-img on the PATH\).*qemu-utils/,
    );
  });

  it('finds the programs in PATH order, then in the bundled folder', async () => {
    const dir = binDir(['qemu-system-x86_64', 'qemu-img']);
    expect(await requireQemu(linux, `/nonexistent:${dir}`, answers('7.2.22', ['tcg', 'kvm']))).toEqual({
      qemuSystem: path.join(dir, 'qemu-system-x86_64'),
      qemuImg: path.join(dir, 'qemu-img'),
      version: { major: 7, minor: 2, micro: 22 },
      accelerators: ['tcg', 'kvm'],
    });
    const bundled = binDir(['qemu-system-x86_64', 'qemu-img']);
    const withBundle = qemuProfile(hostPlatform({ os: 'linux', arch: 'x64' }), { bundledQemuDir: bundled });
    expect((await requireQemu(withBundle, binDir([]), answers('8.2.0'))).qemuSystem).toBe(
      path.join(bundled, 'qemu-system-x86_64'),
    );
  });

  it('refuses a QEMU older than 9p on macOS needs, with its version and what to install', async () => {
    const dir = binDir(['qemu-system-x86_64', 'qemu-img']);
    await expect(requireQemu(intelMac, dir, answers('6.2.0', ['tcg', 'hvf']))).rejects.toThrow(
      `QEMU 6.2.0 (${path.join(dir, 'qemu-system-x86_64')}) is too old: Berth needs QEMU 7.0 or newer on macOS (shared folders over 9p on a macOS host came in QEMU 7.0). Install a newer QEMU with: brew install qemu.`,
    );
    expect((await requireQemu(intelMac, dir, answers('7.0.0', ['tcg', 'hvf']))).version.major).toBe(7);
  });

  it('refuses a QEMU older than the Linux machine needs', async () => {
    const dir = binDir(['qemu-system-x86_64', 'qemu-img']);
    await expect(requireQemu(linux, dir, answers('5.2.0'))).rejects.toThrow(
      /QEMU 5.2.0 .* is too old: Berth needs QEMU 6.2 or newer on Linux/,
    );
  });

  it('says so when the program does not print a QEMU version', async () => {
    const dir = binDir(['qemu-system-x86_64', 'qemu-img']);
    const broken: RunProgram = () => Promise.reject(new Error('error while loading shared libraries: libglib-2.0.so.0'));
    await expect(requireQemu(linux, dir, broken)).rejects.toThrow(
      /Could not read the version of .*qemu-system-x86_64 \(`--version` printed "error while loading shared libraries: libglib-2.0.so.0"\)\. Reinstall QEMU with: sudo apt-get install qemu-system-x86/,
    );
  });

  it('reads the QEMU installed on this machine', async () => {
    const found = await requireQemu(linux).catch((error: unknown) => error);
    // Machines without QEMU get the sentence; the VM tests need it anyway.
    if (found instanceof VmError) return expect(found.message).toMatch(/^QEMU/);
    expect((found as { accelerators: string[] }).accelerators).toContain('tcg');
    expect((found as { version: { major: number } }).version.major).toBeGreaterThanOrEqual(6);
  });
});
