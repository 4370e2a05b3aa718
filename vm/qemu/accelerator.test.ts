import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { VmError } from '../vm-error.js';
import { chooseAccelerator, hvfFailure, qemuExitedError } from './accelerator.js';
import type { QemuInstallation } from './qemu-binary.js';

const qemu = (accelerators: string[]): QemuInstallation => ({
  qemuSystem: '/opt/homebrew/bin/qemu-system-aarch64',
  qemuImg: '/opt/homebrew/bin/qemu-img',
  version: { major: 10, minor: 0, micro: 0 },
  accelerators,
});

describe('chooseAccelerator', () => {
  it('takes HVF on macOS when QEMU has it', async () => {
    expect(await chooseAccelerator({ family: 'hvf', guestArch: 'arm64', kernelPath: '/k', qemu: qemu(['tcg', 'hvf']) })).toEqual({
      accelerator: 'hvf',
      reason: 'Hypervisor.framework',
    });
  });

  it('refuses a macOS QEMU built without HVF rather than run several times slower', async () => {
    await expect(chooseAccelerator({ family: 'hvf', guestArch: 'arm64', kernelPath: '/k', qemu: qemu(['tcg']) })).rejects.toThrow(
      "This QEMU (/opt/homebrew/bin/qemu-system-aarch64) cannot use Hypervisor.framework: `-accel help` lists tcg, not hvf. Install Homebrew's QEMU, which has it: brew install qemu.",
    );
  });

  it('uses TCG when told to, whatever the host has', async () => {
    expect(
      await chooseAccelerator({ family: 'hvf', forceTcg: true, guestArch: 'arm64', kernelPath: '/k', qemu: qemu(['tcg']) }),
    ).toMatchObject({
      accelerator: 'tcg',
    });
  });
});

describe('hvfFailure and qemuExitedError', () => {
  it('recognises Hypervisor.framework refusals', () => {
    expect(hvfFailure('Error: HV_DENIED\n')).toBe('Error: HV_DENIED');
    expect(hvfFailure('qemu-system-x86_64: -accel hvf: invalid accelerator hvf')).toMatch(/invalid accelerator hvf/);
    expect(hvfFailure('qemu-system-x86_64: -drive id=data: Failed to get "write" lock')).toBeNull();
  });

  it('turns a real QEMU refusing -accel hvf (this machine has none) into the HVF message', () => {
    const run = spawnSync('qemu-system-x86_64', ['-accel', 'hvf', '-M', 'none', '-display', 'none', '-nodefaults'], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    if (run.error) return; // no QEMU here: the VM tests say so
    const error = qemuExitedError('as it started', `exit code ${run.status}`, run.stderr);
    expect(error).toBeInstanceOf(VmError);
    expect(error.message).toMatch(
      /^Hardware virtualization \(Hypervisor.framework\) is not available to QEMU \(it said: "qemu-system-x86_64: -accel hvf: invalid accelerator hvf"\)\./,
    );
  });

  it('passes any other QEMU failure on with its first line', () => {
    expect(qemuExitedError('during boot', 'exit code 1', 'qemu: could not load kernel\nmore').message).toBe(
      'QEMU exited during boot (exit code 1): qemu: could not load kernel.',
    );
  });
});
