import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InstanceLock,
  InstanceLockedError,
  isLockStale,
  parseLockRecord,
  processStartTime,
  type LockRecord,
  type ProcessStartProbe,
} from './instance-lock.js';

const record = (pid: number, processStart: string | null): LockRecord => ({
  pid,
  processStart,
  lockedAt: '2026-01-01T00:00:00.000Z',
});

describe('lock staleness', () => {
  const probe =
    (table: Record<number, string | null>): ProcessStartProbe =>
    (pid) =>
      pid in table ? table[pid] : undefined;

  it('is stale when the holder process is gone or the record is unreadable', () => {
    expect(isLockStale(record(4242, '100'), probe({}))).toBe(true);
    expect(isLockStale(null, probe({}))).toBe(true);
  });

  it('is live when the same process (same start time) still runs', () => {
    expect(isLockStale(record(4242, '100'), probe({ 4242: '100' }))).toBe(false);
  });

  it('is stale when the pid now belongs to a process that started at another time (pid reuse)', () => {
    expect(isLockStale(record(4242, '100'), probe({ 4242: '999' }))).toBe(true);
  });

  it('is live when the pid runs and either start time is unknown: no guessing', () => {
    expect(isLockStale(record(4242, null), probe({ 4242: '100' }))).toBe(false);
    expect(isLockStale(record(4242, '100'), probe({ 4242: null }))).toBe(false);
  });

  it('parses only records with a positive integer pid', () => {
    expect(parseLockRecord('{"pid":12,"processStart":"5","lockedAt":"x"}')).toEqual({
      pid: 12,
      processStart: '5',
      lockedAt: 'x',
    });
    expect(parseLockRecord('{"pid":"12"}')).toBeNull();
    expect(parseLockRecord('{"pid":-1}')).toBeNull();
    expect(parseLockRecord('not json')).toBeNull();
  });

  it('reads this process’s start time, and none for a pid that does not exist', () => {
    expect(processStartTime(process.pid)).toMatch(/^\d+$/);
    expect(processStartTime(2 ** 22 + 1)).toBeUndefined(); // above Linux's pid_max limit
  });
});

describe('InstanceLock', () => {
  let dir: string;
  let lockPath: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-lock-test-'));
    lockPath = path.join(dir, 'vm.lock');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is taken with this pid and start time, refused to a second taker, and free again after release', () => {
    const lock = InstanceLock.acquire(lockPath);
    expect(parseLockRecord(fs.readFileSync(lockPath, 'utf8'))).toMatchObject({
      pid: process.pid,
      processStart: processStartTime(process.pid),
    });
    expect((fs.statSync(lockPath).mode & 0o777).toString(8)).toBe('600');
    let refused: unknown;
    try {
      InstanceLock.acquire(lockPath);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(InstanceLockedError);
    expect((refused as InstanceLockedError).holder.pid).toBe(process.pid);

    lock.release();
    expect(fs.existsSync(lockPath)).toBe(false);
    InstanceLock.acquire(lockPath).release();
    expect(fs.readdirSync(dir)).toEqual([]); // no drafts left behind
  });

  it('takes over a lock whose process is dead, reused, or whose file is garbage', () => {
    for (const stale of [
      JSON.stringify(record(2 ** 22 + 1, '1')),
      JSON.stringify(record(process.pid, 'not-my-start-time')),
      'garbage',
    ]) {
      fs.writeFileSync(lockPath, stale);
      const lock = InstanceLock.acquire(lockPath);
      expect(parseLockRecord(fs.readFileSync(lockPath, 'utf8'))?.pid).toBe(process.pid);
      lock.release();
    }
  });

  it('does not remove a lock another Berth took over after this one went stale', () => {
    const lock = InstanceLock.acquire(lockPath);
    fs.writeFileSync(lockPath, JSON.stringify(record(1, null))); // pid 1 is alive: a live holder
    lock.release();
    expect(fs.existsSync(lockPath)).toBe(true);
  });
});
