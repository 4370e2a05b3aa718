import { describe, expect, it } from 'vitest';
import { snapshotKey, snapshotMismatch, snapshotsUnavailable, type SnapshotKeyInput } from './snapshot-key.js';

const input: SnapshotKeyInput = {
  qemuProgram: '/usr/bin/qemu-system-x86_64',
  qemuVersion: { major: 10, minor: 0, micro: 2 },
  imageSums: 'aaaa  vmlinux\nbbbb  rootfs.img\n',
  args: [
    '-m',
    '2048',
    '-append',
    'console=ttyS0 quiet tsc_early_khz=2596124 lpj=10384496 tsc=reliable berth.snapshot=1',
    '-netdev',
    'user,id=n0,hostfwd=tcp:127.0.0.1:41234-:2376',
  ],
  configFiles: { 'ca.pem': 'CA', 'server-key.pem': 'KEY' },
};

describe('snapshotKey', () => {
  it('is the same for two boots that differ only in the engine port and the TSC figures', () => {
    const other = {
      ...input,
      args: input.args.map((arg) => arg.replace('41234', '39001').replace('2596124', '2596130').replace('10384496', '10384520')),
    };
    expect(snapshotKey(other)).toEqual(snapshotKey(input));
  });

  it.each([
    [
      'QEMU',
      { qemuVersion: { major: 10, minor: 1, micro: 0 } },
      /made by \/usr\/bin\/qemu-system-x86_64 10\.0\.2.*runs .*10\.1\.0/,
    ],
    ['image', { imageSums: 'cccc  vmlinux\n' }, /image has changed/],
    ['machine', { args: [...input.args.slice(0, 1), '4096', ...input.args.slice(2)] }, /settings .* have changed/],
    ['configuration', { configFiles: { 'ca.pem': 'CA', 'server-key.pem': 'OTHER KEY' } }, /TLS material has changed/],
  ])('names what changed: the %s', (_part, change, reason) => {
    const stored = snapshotKey(input);
    expect(snapshotMismatch(stored, snapshotKey({ ...input, ...change }))).toMatch(reason);
    expect(snapshotMismatch(stored, snapshotKey(input))).toBeNull();
  });

  it('does not depend on the order the configuration files are given in', () => {
    const reversed = { ...input, configFiles: { 'server-key.pem': 'KEY', 'ca.pem': 'CA' } };
    expect(snapshotKey(reversed)).toEqual(snapshotKey(input));
  });
});

describe('snapshotsUnavailable', () => {
  const able = {
    qemuVersion: { major: 8, minor: 2, micro: 0 },
    accelerator: 'tcg',
    imageSnapshots: 'yes',
    virtiofsFolders: 0,
    virtiofsdMigrates: false,
  } as const;

  it('allows QEMU 8.2 and newer with an image that has resume-seed', () => {
    expect(snapshotsUnavailable(able)).toBeNull();
    expect(snapshotsUnavailable({ ...able, accelerator: 'kvm', qemuVersion: { major: 10, minor: 0, micro: 2 } })).toBeNull();
    // Shared folders, served by a virtiofsd that hands its state over.
    expect(snapshotsUnavailable({ ...able, virtiofsFolders: 2, virtiofsdMigrates: true })).toBeNull();
  });

  it.each([
    [
      { qemuVersion: { major: 7, minor: 2, micro: 22 } },
      'QEMU 7.2.22 cannot save a VM to a file and restore it (QEMU 8.2 and newer can)',
    ],
    [
      { qemuVersion: { major: 8, minor: 1, micro: 9 } },
      'QEMU 8.1.9 cannot save a VM to a file and restore it (QEMU 8.2 and newer can)',
    ],
    [{ accelerator: 'hvf' }, 'restoring a VM under HVF has not been tried yet'],
    [{ imageSnapshots: null }, 'the VM image has no resume-seed (rebuild it with npm run vm:image)'],
    [{ imageSnapshots: 'no' }, 'the VM image has no resume-seed (rebuild it with npm run vm:image)'],
    [
      { virtiofsFolders: 1 },
      "this computer's virtiofsd, which serves the shared folders, cannot hand its state over with the VM's (virtiofsd 1.11 and newer can)",
    ],
  ] as const)('%j: %s', (change, reason) => {
    expect(snapshotsUnavailable({ ...able, ...change })).toBe(reason);
  });
});
