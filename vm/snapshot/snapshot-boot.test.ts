import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineVmConfig } from '../qemu/qemu-args.js';
import type { QemuInstallation } from '../qemu/qemu-binary.js';
import { SnapshotBoot } from './snapshot-boot.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe('SnapshotBoot', () => {
  // Snapshots off: plan() needs neither the machine nor QEMU.
  const config = {} as EngineVmConfig;
  const qemu = { version: { major: 10, minor: 0, micro: 2 } } as QemuInstallation;

  it("keeps a failed restore's note through the start's later boots, and forgets it at the next start", () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-snapshot-boot-'));
    dirs.push(stateDir);
    const boot = new SnapshotBoot(stateDir, stateDir, false);
    boot.beginStart();
    const note = boot.restoreFailed(new Error("QEMU could not load the VM's state\nmore"));
    expect(note).toBe(
      "The VM's boot snapshot could not be restored (QEMU could not load the VM's state); it was deleted, and the VM booted cold.",
    );
    // A stalled boot of the same start plans again: the note stays.
    boot.plan(config, qemu, true);
    expect(boot.lastOutcome).toEqual({ start: 'cold', note, storedBytes: 0, stateMs: null });
    boot.beginStart();
    boot.plan(config, qemu, true);
    expect(boot.lastOutcome?.note).toBeNull();
  });
});
