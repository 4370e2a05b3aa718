/**
 * One Berth per VM state directory. Two QEMUs on one data disk would corrupt it, and two Berths would
 * fight over the QMP and engine sockets, so the VM's owner holds a lock file: its pid and that
 * process's start time. A lock whose process is gone (Berth crashed, the machine rebooted, the pid was
 * reused by another program) is stale and taken over.
 */
import fs from 'node:fs';

export interface LockRecord {
  pid: number;
  /** The process's start time as the OS counts it (Linux: clock ticks since boot), to tell pid reuse apart. */
  processStart: string | null;
  /** ISO time the lock was taken, for a person reading the file. */
  lockedAt: string;
}

/** The start time of a live process; null when it runs but its start is unknown; undefined when there is no such process. */
export type ProcessStartProbe = (pid: number) => string | null | undefined;

export class InstanceLockedError extends Error {
  constructor(readonly holder: LockRecord) {
    super(`The lock is held by pid ${holder.pid}.`);
  }
}

export function parseLockRecord(text: string): LockRecord | null {
  try {
    const value = JSON.parse(text) as Partial<LockRecord>;
    if (typeof value.pid !== 'number' || !Number.isInteger(value.pid) || value.pid <= 0) return null;
    return {
      pid: value.pid,
      processStart: typeof value.processStart === 'string' ? value.processStart : null,
      lockedAt: typeof value.lockedAt === 'string' ? value.lockedAt : '',
    };
  } catch {
    return null;
  }
}

/** Stale: unreadable, its process is gone, or the pid now belongs to a process that started later. */
export function isLockStale(record: LockRecord | null, processStartOf: ProcessStartProbe): boolean {
  if (!record) return true;
  const start = processStartOf(record.pid);
  if (start === undefined) return true;
  // Either start unknown: the pid is alive and may well be the holder; never take a lock on a guess.
  if (start === null || record.processStart === null) return false;
  return start !== record.processStart;
}

/** Linux: field 22 of /proc/PID/stat; elsewhere only "alive or not" (signal 0). */
export function processStartTime(pid: number): string | null | undefined {
  if (!fs.existsSync('/proc/self/stat')) return processAlive(pid) ? null : undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null; // fields[0] is field 3 (state); field 22 is starttime
  } catch {
    return undefined; // with /proc mounted, no /proc/PID means no such process
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class InstanceLock {
  private released = false;

  private constructor(readonly lockPath: string) {}

  /** Takes the lock or throws InstanceLockedError naming the live holder. */
  static acquire(lockPath: string, processStartOf: ProcessStartProbe = processStartTime): InstanceLock {
    const record: LockRecord = {
      pid: process.pid,
      processStart: processStartOf(process.pid) ?? null,
      lockedAt: new Date().toISOString(),
    };
    // Written whole to a private file, then linked into place: link fails if the lock exists, so
    // taking it is atomic and a reader never sees a half-written record.
    const draft = `${lockPath}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    fs.writeFileSync(draft, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          fs.linkSync(draft, lockPath);
          return new InstanceLock(lockPath);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        const seen = readText(lockPath);
        const holder = seen === null ? null : parseLockRecord(seen);
        if (holder && !isLockStale(holder, processStartOf)) throw new InstanceLockedError(holder);
        if (seen !== null) removeIfUnchanged(lockPath, seen, draft);
      }
      throw new Error(`Could not take the lock ${lockPath}: it keeps reappearing.`);
    } finally {
      fs.rmSync(draft, { force: true });
    }
  }

  /** Removes the lock file if it is still this process's (never another Berth's that took over a stale one). */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (readRecord(this.lockPath)?.pid === process.pid) fs.rmSync(this.lockPath, { force: true });
  }
}

/**
 * Removes the stale lock only if it is still the one that was read: two Berths may find the same
 * stale lock, and the slower must not delete the live lock the faster has just taken. Renaming is
 * atomic, so the file moved aside is exactly what is checked; a live lock moved by mistake goes back.
 */
function removeIfUnchanged(lockPath: string, seen: string, draft: string): void {
  const aside = `${draft}.stale`;
  try {
    fs.renameSync(lockPath, aside);
  } catch {
    return; // already gone: the next link attempt decides
  }
  if (readText(aside) !== seen) {
    try {
      fs.linkSync(aside, lockPath);
    } catch {
      // Someone linked a newer lock meanwhile; theirs stands.
    }
  }
  fs.rmSync(aside, { force: true });
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function readRecord(lockPath: string): LockRecord | null {
  const text = readText(lockPath);
  return text === null ? null : parseLockRecord(text);
}
