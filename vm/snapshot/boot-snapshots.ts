/**
 * Boot snapshots: the first cold boot saves the VM where its engine waits for its configuration
 * (vm/image/init.sh, "the boot snapshot's point"); later starts restore that state instead of booting
 * the kernel, starting containerd and loading dockerd again. One snapshot per VM, in
 * `<stateDir>/snapshot/`: `machine.state` (QEMU's migration stream) and `key.json` (what it fits,
 * snapshot-key.ts), written last so that a save cut short leaves nothing that would be restored.
 *
 * The data disk is not in it: the guest has not read it at that point, so a snapshot never holds a
 * container, an image or a volume, and restoring an old one cannot lose data.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EngineVm, StateFormat } from '../qemu/engine-vm.js';
import { snapshotMismatch, type SnapshotKey } from './snapshot-key.js';

/** What this boot does: boot cold without a snapshot, boot cold and save one, or restore the stored one. */
export type SnapshotPlan =
  | { kind: 'off'; reason: string }
  | { kind: 'save'; key: SnapshotKey; discarded: string | null }
  | { kind: 'restore'; key: SnapshotKey; file: string };

/**
 * The state file's size, kept in key.json. QEMU's stream has no checksum of its own, and a file cut
 * short by a crash would be loaded as far as it goes: so the state file is on disk (fsync) before the
 * key naming it is, and a file of another size is not loaded. (A whole-file CRC-32 was tried: a
 * mapped-ram file is as large as the VM's memory, mostly holes, and reading it cost 2 s of every start.)
 */
interface StateCheck {
  bytes: number;
}

/** Bytes of randomness the host sends with each resume (resume-seed.c takes 32 to 128). */
const SEED_BYTES = 64;
const CONNECT_TIMEOUT_MS = 10_000;

export class BootSnapshotStore {
  constructor(readonly dir: string) {}

  get stateFile(): string {
    return path.join(this.dir, 'machine.state');
  }

  private get keyFile(): string {
    return path.join(this.dir, 'key.json');
  }

  /** Disk space the stored state takes, in bytes (a mapped-ram file is sparse), or 0 when there is none. */
  get storedBytes(): number {
    try {
      return fs.statSync(this.stateFile).blocks * 512;
    } catch {
      return 0;
    }
  }

  /**
   * The plan for a boot whose key is `key` (or that cannot use snapshots, and why). A stored snapshot
   * that does not fit is deleted here, and the plan says why.
   */
  plan(key: SnapshotKey | { unavailable: string }): SnapshotPlan {
    if ('unavailable' in key) return { kind: 'off', reason: key.unavailable };
    const stored = this.storedKey();
    if (stored === null) return { kind: 'save', key, discarded: null };
    const mismatch =
      'unreadable' in stored ? stored.unreadable : (snapshotMismatch(stored, key) ?? this.stateFileProblem(stored));
    if (mismatch === null) return { kind: 'restore', key, file: this.stateFile };
    this.discard();
    return { kind: 'save', key, discarded: mismatch };
  }

  /**
   * Saves the VM, which waits at the snapshot's point, under `key`. The guest stands still until
   * resume() is called, whether this succeeds or not.
   */
  async save(vm: EngineVm, key: SnapshotKey, format: StateFormat = 'stream'): Promise<void> {
    this.discard();
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const partial = `${this.stateFile}.partial`;
    try {
      await vm.saveState(partial, format);
      syncFile(partial);
      const state: StateCheck = { bytes: fs.statSync(partial).size };
      fs.renameSync(partial, this.stateFile);
      fs.writeFileSync(`${this.keyFile}.new`, `${JSON.stringify({ ...key, state }, null, 2)}\n`, { mode: 0o600 });
      syncFile(`${this.keyFile}.new`);
      fs.renameSync(`${this.keyFile}.new`, this.keyFile);
      syncFile(this.dir);
    } catch (error) {
      fs.rmSync(partial, { force: true });
      this.discard();
      throw error;
    }
  }

  /** Deletes the stored snapshot (the key first: a state file alone is never restored). */
  discard(): void {
    fs.rmSync(this.keyFile, { force: true });
    fs.rmSync(this.stateFile, { force: true });
  }

  /** Why the state file is not the one the key was written for (gone, or another size), or null. */
  private stateFileProblem(stored: SnapshotKey & { state?: Partial<StateCheck> }): string | null {
    let bytes: number;
    try {
      bytes = fs.statSync(this.stateFile).size;
    } catch {
      return 'its state file is missing';
    }
    return bytes === stored.state?.bytes ? null : 'its state file has changed size since it was saved';
  }

  private storedKey(): (SnapshotKey & { state?: Partial<StateCheck> }) | { unreadable: string } | null {
    let text: string;
    try {
      text = fs.readFileSync(this.keyFile, 'utf8');
    } catch {
      return null;
    }
    try {
      const key = JSON.parse(text) as Partial<SnapshotKey>;
      const parts = [key.qemu, key.image, key.machine, key.configuration];
      if (parts.every((part) => typeof part === 'string')) return key as SnapshotKey & { state?: Partial<StateCheck> };
    } catch {
      // below
    }
    return { unreadable: 'its key file is damaged' };
  }
}

/** fsync of a file or a folder (a rename is on disk once its folder is). */
function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The line resume-seed.c reads: the host's clock now (seconds, nanoseconds) and a fresh random seed. */
export function resumeLine(nowMs = performance.timeOrigin + performance.now(), seed = randomBytes(SEED_BYTES)): string {
  const seconds = Math.floor(nowMs / 1000);
  const nanoseconds = Math.min(999_999_999, Math.round((nowMs - seconds * 1000) * 1e6));
  return `${seconds} ${nanoseconds} ${seed.toString('hex')}\n`;
}

/**
 * Lets a guest waiting at the snapshot's point go on: connects to QEMU's end of its org.berth.resume
 * port and writes the resume line. Returns the connection's closer: the guest reads the line once it
 * looks, so the connection stays open until the boot is past that point.
 */
export async function resumeGuest(socketPath: string): Promise<() => void> {
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const connection = net.createConnection(socketPath);
    const timer = setTimeout(() => {
      connection.destroy();
      reject(new Error(`no answer on the VM's resume port within ${CONNECT_TIMEOUT_MS / 1000} s`));
    }, CONNECT_TIMEOUT_MS);
    connection.once('connect', () => {
      clearTimeout(timer);
      resolve(connection);
    });
    connection.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  socket.on('error', () => undefined); // QEMU gone: the boot's own follower reports that
  socket.write(resumeLine());
  return () => socket.destroy();
}
