/**
 * A VM start's use of boot snapshots, for VmService: which plan this boot follows (snapshot-key.ts,
 * boot-snapshots.ts), the machine it boots for that plan, saving at the snapshot's point, loading a
 * stored one, and what the last start did, in words for the Engine view.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EngineVm, StateFormat } from '../qemu/engine-vm.js';
import { isOlderThan, type QemuVersion } from '../qemu/qemu-profile.js';
import { buildQemuArgs, type EngineVmConfig } from '../qemu/qemu-args.js';
import type { QemuInstallation } from '../qemu/qemu-binary.js';
import { BootSnapshotStore, resumeGuest, type SnapshotPlan } from './boot-snapshots.js';
import { snapshotKey, snapshotsUnavailable, type SnapshotKey } from './snapshot-key.js';

export type { SnapshotPlan } from './boot-snapshots.js';

/** How the last start went as far as snapshots go. */
export interface SnapshotOutcome {
  /** restored: from the snapshot; saved: booted cold and saved one; cold: booted cold without one. */
  start: 'restored' | 'saved' | 'cold';
  /** One sentence for the user when something did not go as planned (a snapshot discarded, a save failed). */
  note: string | null;
  /** Size of the stored snapshot, in bytes (0 when there is none). */
  storedBytes: number;
  /** How long saving or loading the state took, in ms (null for a cold start without one). */
  stateMs: number | null;
}

/** mapped-ram came with QEMU 9.0: loading 300 MB into shared memory (virtiofs) took 3.9 s as a stream. */
const MAPPED_RAM_MIN_QEMU: QemuVersion = { major: 9, minor: 0, micro: 0 };

export class SnapshotBoot {
  private readonly store: BootSnapshotStore;
  private closeResume: (() => void) | null = null;
  private outcome: SnapshotOutcome | null = null;
  /** Why this start's restore failed: kept when a later boot of the same start plans again (a stalled boot). */
  private restoreFailure: string | null = null;
  /** How this boot's QEMU writes and reads the state (the key's QEMU version decides, so both sides agree). */
  private format: StateFormat = 'stream';

  constructor(
    private readonly stateDir: string,
    private readonly imageDir: string,
    /** false: every start boots cold and nothing is saved (a stored snapshot is kept). */
    private readonly enabled: boolean,
  ) {
    this.store = new BootSnapshotStore(path.join(stateDir, 'snapshot'));
  }

  get resumeSocketPath(): string {
    return path.join(this.stateDir, 'resume.sock');
  }

  get lastOutcome(): SnapshotOutcome | null {
    return this.outcome;
  }

  /** A start begins: what the last one went through is forgotten. */
  beginStart(): void {
    this.finish();
    this.restoreFailure = null;
  }

  /** This boot's plan; a stored snapshot that does not fit is deleted, and the outcome's note says why. */
  plan(config: EngineVmConfig, qemu: QemuInstallation, virtiofsdMigrates: boolean): SnapshotPlan {
    this.finish();
    this.format = isOlderThan(qemu.version, MAPPED_RAM_MIN_QEMU) ? 'stream' : 'mapped-ram';
    const key = this.enabled ? this.keyFor(config, qemu, virtiofsdMigrates) : { unavailable: 'boot snapshots are off' };
    const plan = this.store.plan(key);
    let note: string | null = this.restoreFailure;
    if (plan.kind === 'save' && plan.discarded) note = `The VM's boot snapshot was deleted: ${plan.discarded}.`;
    if (plan.kind === 'off' && this.enabled) note = `This start could not use a boot snapshot: ${plan.reason}.`;
    this.outcome = { start: 'cold', note, storedBytes: 0, stateMs: null };
    return plan;
  }

  /** The machine a plan boots: one that stops at the snapshot's point unless snapshots are off. */
  machine(config: EngineVmConfig, plan: SnapshotPlan): EngineVmConfig {
    if (plan.kind === 'off') return config;
    return { ...config, bootSnapshot: { resumeSocketPath: this.resumeSocketPath, incoming: plan.kind === 'restore' } };
  }

  /**
   * At the snapshot's point of a cold boot: saves the VM (a failure is a note, never a failed start),
   * then lets the guest go on.
   */
  async saveAndResume(vm: EngineVm, key: SnapshotKey): Promise<void> {
    const began = performance.now();
    try {
      await this.store.save(vm, key, this.format);
      this.outcome = { note: null, ...this.outcome, start: 'saved', storedBytes: this.store.storedBytes, stateMs: ms(began) };
    } catch (error) {
      const note = `Could not save the VM's boot snapshot: ${firstLine(error)}.`;
      this.outcome = { start: 'cold', storedBytes: 0, stateMs: null, note };
    }
    await vm.resume().catch(() => undefined); // QEMU holds a saved VM paused; a failed save left it running
    this.closeResume = await resumeGuest(this.resumeSocketPath);
  }

  /** Loads the stored state into a QEMU started with `machine(config, plan)` and lets the guest go on. */
  async restore(vm: EngineVm, plan: Extract<SnapshotPlan, { kind: 'restore' }>): Promise<void> {
    const began = performance.now();
    await vm.loadState(plan.file, this.format);
    this.outcome = { start: 'restored', note: null, storedBytes: this.store.storedBytes, stateMs: ms(began) };
    this.closeResume = await resumeGuest(this.resumeSocketPath);
  }

  /** A restore that failed (QEMU refused the state, the restored guest did not come up): deletes the snapshot. */
  restoreFailed(error: unknown): string {
    this.finish();
    this.store.discard();
    const note = `The VM's boot snapshot could not be restored (${firstLine(error)}); it was deleted, and the VM booted cold.`;
    this.restoreFailure = note;
    this.outcome = { start: 'cold', note, storedBytes: 0, stateMs: null };
    return note;
  }

  /** The boot is past the snapshot's point for good: the resume port's connection is closed. */
  finish(): void {
    this.closeResume?.();
    this.closeResume = null;
  }

  /** Deletes the stored snapshot (a factory reset starts from nothing). */
  discard(): void {
    this.store.discard();
  }

  private keyFor(
    config: EngineVmConfig,
    qemu: QemuInstallation,
    virtiofsdMigrates: boolean,
  ): SnapshotKey | { unavailable: string } {
    const unavailable = snapshotsUnavailable({
      qemuVersion: qemu.version,
      accelerator: config.accelerator,
      imageSnapshots: manifestValue(this.imageDir, 'boot-snapshots'),
      virtiofsFolders: config.sharedFolders?.length ?? 0,
      virtiofsdMigrates,
    });
    if (unavailable) return { unavailable };
    // The machine a save boots, which a restore runs again (less -incoming).
    const machine = { ...config, bootSnapshot: { resumeSocketPath: this.resumeSocketPath, incoming: false } };
    return snapshotKey({
      qemuProgram: qemu.qemuSystem,
      qemuVersion: qemu.version,
      imageSums: fs.readFileSync(path.join(this.imageDir, 'SHA256SUMS'), 'utf8'),
      args: buildQemuArgs(machine),
      configFiles: Object.fromEntries(Object.entries(config.configFiles).map(([name, file]) => [name, fs.readFileSync(file)])),
    });
  }
}

function manifestValue(imageDir: string, name: string): string | null {
  try {
    const manifest = fs.readFileSync(path.join(imageDir, 'manifest.txt'), 'utf8');
    return new RegExp(`^${name} (.*)$`, 'm').exec(manifest)?.[1]?.trim() ?? null;
  } catch {
    return null;
  }
}

function ms(began: number): number {
  return Math.round(performance.now() - began);
}

function firstLine(error: unknown): string {
  return ((error as Error).message ?? String(error)).split('\n')[0]!.replace(/\.$/, '');
}
