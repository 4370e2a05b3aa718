import { describe, expect, it } from 'vitest';
import { VmError } from '../vm-error.js';
import { hostPlatform } from './host-platform.js';

describe('hostPlatform', () => {
  it('gives Linux QEMU with the KVM probe, for the host CPU', () => {
    expect(hostPlatform({ os: 'linux', arch: 'x64' })).toEqual({
      os: 'linux',
      provider: 'qemu',
      guestArch: 'amd64',
      accelerator: 'kvm',
    });
    expect(hostPlatform({ os: 'linux', arch: 'arm64' })).toMatchObject({ guestArch: 'arm64', accelerator: 'kvm' });
  });

  it('gives macOS QEMU with HVF: the arm64 guest on Apple Silicon, amd64 on an Intel Mac', () => {
    expect(hostPlatform({ os: 'darwin', arch: 'arm64' })).toEqual({
      os: 'darwin',
      provider: 'qemu',
      guestArch: 'arm64',
      accelerator: 'hvf',
    });
    expect(hostPlatform({ os: 'darwin', arch: 'x64' })).toMatchObject({
      provider: 'qemu',
      guestArch: 'amd64',
      accelerator: 'hvf',
    });
  });

  it('gives Windows WSL2', () => {
    expect(hostPlatform({ os: 'win32', arch: 'x64' })).toEqual({
      os: 'win32',
      provider: 'wsl2',
      guestArch: 'amd64',
      accelerator: 'hyper-v',
    });
    expect(hostPlatform({ os: 'win32', arch: 'arm64' })).toMatchObject({ provider: 'wsl2', guestArch: 'arm64' });
  });

  it('refuses another OS, naming the supported ones', () => {
    expect(() => hostPlatform({ os: 'freebsd', arch: 'x64' })).toThrow(VmError);
    expect(() => hostPlatform({ os: 'freebsd', arch: 'x64' })).toThrow(
      "Berth's engine VM does not run on freebsd (x64): it runs on Linux (x64 or arm64), macOS (Apple Silicon or Intel) and Windows (x64 or arm64). Point Berth at an existing engine instead (--engine or DOCKER_HOST).",
    );
  });

  it('refuses a 32-bit or other CPU on a supported OS, naming the CPUs it needs', () => {
    expect(() => hostPlatform({ os: 'linux', arch: 'ia32' })).toThrow(
      "Berth's engine VM does not run on this computer's ia32 CPU: on Linux it needs a 64-bit x64 or arm64 CPU",
    );
    expect(() => hostPlatform({ os: 'linux', arch: 'riscv64' })).toThrow(/riscv64 CPU: on Linux/);
    expect(() => hostPlatform({ os: 'win32', arch: 'ia32' })).toThrow(/on Windows it needs/);
  });

  it('reads this process by default', () => {
    expect(hostPlatform().os).toBe(process.platform);
  });
});
