import { describe, expect, it } from 'vitest';
import { probeAccelerator } from './accelerator.js';
import { guestArchForHost, isGuestArch, machineProfile } from './machine-profile.js';

describe('machineProfile', () => {
  it('picks the guest architecture of the host CPU, and none for others', () => {
    expect(guestArchForHost('x64')).toBe('amd64');
    expect(guestArchForHost('arm64')).toBe('arm64');
    expect(guestArchForHost('riscv64')).toBeNull();
    expect(isGuestArch('arm64')).toBe(true);
    expect(isGuestArch('x64')).toBe(false);
  });

  it("names each architecture's kernel file as build-image.sh writes it", () => {
    expect(machineProfile('amd64')).toMatchObject({ kernelFile: 'vmlinux', console: 'ttyS0', takesTsc: true });
    expect(machineProfile('arm64')).toMatchObject({ kernelFile: 'Image', console: 'ttyAMA0', takesTsc: false });
  });
});

describe('probeAccelerator', () => {
  it('emulates a guest of another architecture without probing KVM', async () => {
    await expect(probeAccelerator('/no/kernel', { timeoutMs: 1000, guestArch: 'arm64', hostArch: 'x64' })).resolves.toEqual({
      accelerator: 'tcg',
      reason: 'an arm64 VM on this x64 computer is emulated',
    });
  });
});
