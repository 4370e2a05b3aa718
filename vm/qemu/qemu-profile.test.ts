import { describe, expect, it } from 'vitest';
import { hostPlatform } from '../platform/host-platform.js';
import { isOlderThan, qemuProfile, qemuSearchDirs } from './qemu-profile.js';

describe('qemuProfile', () => {
  it('macOS: HVF, 9p folders, QEMU 7.0, Homebrew prefixes then the app’s own QEMU', () => {
    const profile = qemuProfile(hostPlatform({ os: 'darwin', arch: 'arm64' }), {
      bundledQemuDir: '/Applications/Berth.app/Contents/Resources/qemu/bin',
    });
    expect(profile).toMatchObject({
      systemProgram: 'qemu-system-aarch64',
      accelerator: 'hvf',
      folderSharing: '9p',
      minVersion: { major: 7, minor: 0, micro: 0 },
      extraDirs: ['/opt/homebrew/bin', '/usr/local/bin', '/Applications/Berth.app/Contents/Resources/qemu/bin'],
    });
    expect(qemuProfile(hostPlatform({ os: 'darwin', arch: 'x64' })).systemProgram).toBe('qemu-system-x86_64');
  });

  it('Linux: the KVM probe, virtiofs folders, the host CPU’s QEMU', () => {
    expect(qemuProfile(hostPlatform({ os: 'linux', arch: 'x64' }))).toMatchObject({
      systemProgram: 'qemu-system-x86_64',
      accelerator: 'kvm',
      folderSharing: 'virtiofs',
      extraDirs: [],
    });
    expect(qemuProfile(hostPlatform({ os: 'linux', arch: 'arm64' })).systemProgram).toBe('qemu-system-aarch64');
  });

  it('is not the provider on Windows', () => {
    expect(() => qemuProfile(hostPlatform({ os: 'win32', arch: 'x64' }))).toThrow(/uses wsl2/);
  });

  it('searches PATH first, then the profile’s folders, each once', () => {
    const profile = qemuProfile(hostPlatform({ os: 'darwin', arch: 'arm64' }));
    expect(qemuSearchDirs(profile, '/usr/bin:/opt/homebrew/bin')).toEqual(['/usr/bin', '/opt/homebrew/bin', '/usr/local/bin']);
  });
});

describe('isOlderThan', () => {
  it('compares major, minor, micro', () => {
    const v = (major: number, minor: number, micro = 0) => ({ major, minor, micro });
    expect(isOlderThan(v(6, 2, 9), v(7, 0))).toBe(true);
    expect(isOlderThan(v(7, 0), v(7, 0))).toBe(false);
    expect(isOlderThan(v(10, 0), v(7, 2))).toBe(false);
    expect(isOlderThan(v(7, 1, 5), v(7, 2))).toBe(true);
  });
});
