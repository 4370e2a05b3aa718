/**
 * What a boot snapshot depends on, and whether this boot may use one. A snapshot is the guest's memory
 * and QEMU's device state at the boot snapshot's point (vm/image/init.sh): it fits only the QEMU that
 * wrote it, the image it booted, the machine it ran on (memory, CPUs, devices, kernel arguments) and the
 * configuration the guest had read by then (TLS material, daemon.json, the shared folder list). Pure.
 */
import { createHash } from 'node:crypto';
import type { QemuVersion } from '../qemu/qemu-profile.js';
import { formatQemuVersion, isOlderThan } from '../qemu/qemu-profile.js';
import type { Accelerator } from '../qemu/qemu-args.js';

/** The four parts a snapshot must match; each names what changed when it does not. */
export interface SnapshotKey {
  /** The QEMU program and its version: a state file is read only by the QEMU that wrote it. */
  qemu: string;
  /** The image's SHA256SUMS: kernel, initramfs and root file system. */
  image: string;
  /** A hash of QEMU's command line, less what changes from boot to boot without mattering after a restore. */
  machine: string;
  /** A hash of the configuration files the guest reads before the snapshot's point. */
  configuration: string;
}

/** `migrate` and `migrate-incoming` to a `file:` URI came with QEMU 8.2. */
export const SNAPSHOT_MIN_QEMU: QemuVersion = { major: 8, minor: 2, micro: 0 };

export interface SnapshotKeyInput {
  qemuProgram: string;
  qemuVersion: QemuVersion;
  imageSums: string;
  args: readonly string[];
  /** fw_cfg name -> the file's content. */
  configFiles: Record<string, string | Buffer>;
}

/**
 * Parts of the command line a restore does not depend on: the loopback port QEMU forwards to the
 * engine (chosen free at each boot; the guest's network is not up at the snapshot's point) and the
 * TSC figures the kernel reads once while it boots (the host's `cpu MHz` moves a little).
 */
const BOOT_ONLY_ARGS: Array<[RegExp, string]> = [
  [/hostfwd=tcp:127\.0\.0\.1:\d+-/g, 'hostfwd=tcp:127.0.0.1:PORT-'],
  [/ tsc_early_khz=\d+ lpj=\d+/g, ''],
];

export function snapshotKey(input: SnapshotKeyInput): SnapshotKey {
  const machine = input.args.map((arg) => BOOT_ONLY_ARGS.reduce((text, [pattern, to]) => text.replace(pattern, to), arg));
  const configuration = Object.keys(input.configFiles)
    .sort()
    .map((name) => `${name} ${sha256(input.configFiles[name]!)}`);
  return {
    qemu: `${input.qemuProgram} ${formatQemuVersion(input.qemuVersion)}`,
    image: sha256(input.imageSums),
    machine: sha256(machine.join('\0')),
    configuration: sha256(configuration.join('\n')),
  };
}

/** Why a stored snapshot does not fit this boot ("was made by …"), or null when it does. */
export function snapshotMismatch(stored: SnapshotKey, current: SnapshotKey): string | null {
  if (stored.qemu !== current.qemu) return `it was made by ${stored.qemu}, and this boot runs ${current.qemu}`;
  if (stored.image !== current.image) return 'the VM image has changed since it was made';
  if (stored.machine !== current.machine)
    return "the VM's settings (memory, CPUs, folders or disk) have changed since it was made";
  if (stored.configuration !== current.configuration)
    return "the engine's configuration or TLS material has changed since it was made";
  return null;
}

export interface SnapshotSupportInput {
  qemuVersion: QemuVersion;
  accelerator: Accelerator;
  /** The image manifest's `boot-snapshots` value (yes when the image has resume-seed); null without one. */
  imageSnapshots: string | null;
  /** virtiofs shared folders in this boot: their virtiofsd hands its state over with the VM's, or none can be saved. */
  virtiofsFolders: number;
  /** Their virtiofsd can (`--migration-mode`: the Rust virtiofsd 1.11 and newer). */
  virtiofsdMigrates: boolean;
}

/** Why this boot cannot save or restore a snapshot (it boots cold), or null when it can. */
export function snapshotsUnavailable(input: SnapshotSupportInput): string | null {
  if (isOlderThan(input.qemuVersion, SNAPSHOT_MIN_QEMU)) {
    return `QEMU ${formatQemuVersion(input.qemuVersion)} cannot save a VM to a file and restore it (QEMU 8.2 and newer can)`;
  }
  if (input.accelerator === 'hvf') return 'restoring a VM under HVF has not been tried yet';
  if (input.imageSnapshots !== 'yes') return 'the VM image has no resume-seed (rebuild it with npm run vm:image)';
  if (input.virtiofsFolders > 0 && !input.virtiofsdMigrates) {
    return "this computer's virtiofsd, which serves the shared folders, cannot hand its state over with the VM's (virtiofsd 1.11 and newer can)";
  }
  return null;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
