import { describe, expect, it } from 'vitest';
import { FakeClock, settle } from '../testing/fake-rest-clock.js';
import { squeezeFreeMemory, type Balloon } from './memory-squeeze.js';

const MiB = 1024 * 1024;
const FULL = 2048 * MiB;

/** A balloon whose guest gives up `step` bytes each time the test says; records every target. */
class FakeBalloon implements Balloon {
  targets: number[] = [];
  actual = FULL;
  failNextTarget = false;
  /** The guest lets the balloon out as soon as it is told to (an event right after the command). */
  letsOut = true;
  private listener: ((actual: number) => void) | null = null;
  async setTarget(bytes: number) {
    if (this.failNextTarget) {
      this.failNextTarget = false;
      throw new Error('QMP gone');
    }
    this.targets.push(bytes);
    if (bytes === FULL && this.letsOut) queueMicrotask(() => this.give(this.actual - FULL));
  }
  onChange(listener: (actual: number) => void) {
    this.listener = listener;
    return () => (this.listener = null);
  }
  give(bytes: number) {
    this.actual -= bytes;
    this.listener?.(this.actual);
  }
  get subscribed() {
    return this.listener !== null;
  }
}

function squeeze(balloon: FakeBalloon, clock: FakeClock, takeBytes: number, signal = new AbortController().signal) {
  return squeezeFreeMemory({ balloon, fullBytes: FULL, takeBytes, clock, signal, settleMs: 2_500, limitMs: 20_000 });
}

describe('squeezeFreeMemory', () => {
  it('inflates by what the guest can spare and lets the balloon out once it is reached', async () => {
    const balloon = new FakeBalloon();
    const clock = new FakeClock();
    const done = squeeze(balloon, clock, 1500 * MiB);
    await settle();
    expect(balloon.targets).toEqual([548 * MiB]);
    balloon.give(700 * MiB);
    await clock.advance(1_000);
    balloon.give(798 * MiB); // within 4 MiB of the target
    expect(await done).toEqual({ tookBytes: 1498 * MiB, ended: 'reached' });
    expect(balloon.targets).toEqual([548 * MiB, FULL]);
    expect(balloon.subscribed).toBe(false);
  });

  it('stops when the balloon has not grown for the settle time (the guest can give no more)', async () => {
    const balloon = new FakeBalloon();
    const clock = new FakeClock();
    const done = squeeze(balloon, clock, 1500 * MiB);
    await settle();
    balloon.give(300 * MiB);
    await clock.advance(2_000);
    balloon.give(100 * MiB); // still growing: the settle time starts again
    await clock.advance(2_000);
    expect(balloon.targets).toHaveLength(1);
    await clock.advance(600);
    expect(await done).toEqual({ tookBytes: 400 * MiB, ended: 'settled' });
    expect(balloon.targets.at(-1)).toBe(FULL);
  });

  it('gives up after the limit even while the balloon still grows', async () => {
    const balloon = new FakeBalloon();
    const clock = new FakeClock();
    const done = squeeze(balloon, clock, 1500 * MiB);
    await settle();
    for (let second = 0; second < 25; second++) {
      balloon.give(10 * MiB);
      await clock.advance(1_000);
    }
    expect(await done).toMatchObject({ ended: 'limit' });
    expect(balloon.targets.at(-1)).toBe(FULL);
  });

  it('lets the balloon out at once when a request arrives', async () => {
    const balloon = new FakeBalloon();
    const clock = new FakeClock();
    const request = new AbortController();
    const done = squeeze(balloon, clock, 1500 * MiB, request.signal);
    await settle();
    balloon.give(200 * MiB);
    request.abort();
    expect(await done).toEqual({ tookBytes: 200 * MiB, ended: 'aborted' });
    expect(balloon.targets).toEqual([548 * MiB, FULL]);
  });

  it('does nothing when there is too little to take, or the request came first', async () => {
    const balloon = new FakeBalloon();
    const clock = new FakeClock();
    expect(await squeeze(balloon, clock, 20 * MiB)).toEqual({ tookBytes: 0, ended: 'nothing to take' });
    const request = new AbortController();
    request.abort();
    expect(await squeeze(balloon, clock, 1500 * MiB, request.signal)).toEqual({ tookBytes: 0, ended: 'aborted' });
    expect(balloon.targets).toEqual([]);
  });

  it('never takes so much that the guest is left with less than the smallest squeeze', async () => {
    const balloon = new FakeBalloon();
    const done = squeeze(balloon, new FakeClock(), 4096 * MiB);
    await settle();
    expect(balloon.targets).toEqual([32 * MiB]);
    balloon.give(FULL - 32 * MiB);
    await done;
  });

  it('waits for the guest to let the balloon out before it returns (a pause would hold it in)', async () => {
    const balloon = new FakeBalloon();
    balloon.letsOut = false;
    const clock = new FakeClock();
    let returned = false;
    const done = squeeze(balloon, clock, 1000 * MiB).then((result) => ((returned = true), result));
    await settle();
    balloon.give(1000 * MiB);
    await settle();
    expect(balloon.targets.at(-1)).toBe(FULL);
    await clock.advance(1_000);
    expect(returned).toBe(false);
    balloon.give(-1000 * MiB);
    expect(await done).toEqual({ tookBytes: 1000 * MiB, ended: 'reached' });
  });

  it('gives up waiting for the balloon to be let out after a while', async () => {
    const balloon = new FakeBalloon();
    balloon.letsOut = false;
    const clock = new FakeClock();
    const done = squeeze(balloon, clock, 1000 * MiB);
    await settle();
    balloon.give(1000 * MiB);
    await settle();
    await clock.advance(4_999);
    expect(balloon.targets.at(-1)).toBe(FULL);
    await clock.advance(1);
    expect(await done).toEqual({ tookBytes: 1000 * MiB, ended: 'reached' });
  });

  it('lets the balloon out even when setting the target failed', async () => {
    const balloon = new FakeBalloon();
    balloon.failNextTarget = true;
    await expect(squeeze(balloon, new FakeClock(), 1500 * MiB)).rejects.toThrow('QMP gone');
    expect(balloon.targets).toEqual([FULL]);
  });
});
