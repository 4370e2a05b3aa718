import { describe, expect, it } from 'vitest';
import { FakeClock, settle } from '../testing/fake-rest-clock.js';
import { VmRest, VmRestFailedError, type RestMachine } from './rest-controller.js';

const MINUTE = 60_000;

class FakeMachine implements RestMachine {
  running = 0;
  processes: number | null = 0;
  calls: string[] = [];
  paused = false;
  /** While set, pause waits for it (a request arriving meanwhile). */
  pauseGate: Promise<void> | null = null;
  failResume = false;
  async runningContainers() {
    this.calls.push('ask-engine');
    return this.running;
  }
  async containerProcesses() {
    return this.processes;
  }
  async dropCaches() {
    this.calls.push('drop-caches');
  }
  /** When set, giving memory back lasts until a request aborts it (a guest still giving). */
  squeezeUntilAborted = false;
  async giveBackMemory(signal: AbortSignal) {
    this.calls.push('give-back-memory');
    if (!this.squeezeUntilAborted) return;
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
    this.calls.push('balloon-out');
  }
  async pause() {
    this.calls.push('pause');
    if (this.pauseGate) await this.pauseGate;
    this.paused = true;
  }
  async resume() {
    this.calls.push('resume');
    if (this.failResume) throw new Error('QMP connection closed');
    this.paused = false;
  }
  async syncClock() {
    this.calls.push('sync-clock');
  }
}

function setUp(idleMs = 5 * MINUTE) {
  const clock = new FakeClock();
  const machine = new FakeMachine();
  const events: string[] = [];
  const failures: Error[] = [];
  const rest = new VmRest({
    machine,
    clock,
    idleMs: () => idleMs,
    onRest: (since) => events.push(`rest@${since}`),
    onWake: () => events.push('wake'),
    onFailed: (error) => failures.push(error),
  });
  return { clock, machine, events, failures, rest };
}

describe('VmRest', () => {
  it('rests after the idle time: asks, drops the page cache, then pauses', async () => {
    const { clock, machine, events, rest } = setUp();
    await clock.advance(5 * MINUTE - 1);
    expect(machine.calls).toEqual([]);
    await clock.advance(1);
    expect(machine.calls).toEqual(['ask-engine', 'drop-caches', 'give-back-memory', 'pause']);
    expect(events).toEqual([`rest@${5 * MINUTE}`]);
    expect(rest.resting).toBe(true);
  });

  it('counts the idle time from the last byte on any door', async () => {
    const { clock, machine, rest } = setUp();
    const traffic = rest.track();
    await clock.advance(4 * MINUTE);
    traffic.fromClient();
    traffic.fromEngine();
    traffic.closed();
    await clock.advance(4 * MINUTE);
    expect(machine.calls).toEqual([]);
    await clock.advance(MINUTE);
    expect(machine.calls).toEqual(['ask-engine', 'drop-caches', 'give-back-memory', 'pause']);
  });

  it('never rests while a container runs, and rests once it has stopped', async () => {
    const { clock, machine, events } = setUp();
    machine.running = 1;
    await clock.advance(30 * MINUTE);
    expect(events).toEqual([]);
    expect(machine.paused).toBe(false);
    machine.running = 0;
    await clock.advance(5 * MINUTE);
    expect(machine.paused).toBe(true);
  });

  it('never rests while the guest runs container processes the engine does not list (a build step)', async () => {
    const { clock, machine } = setUp();
    machine.processes = 1;
    await clock.advance(20 * MINUTE);
    expect(machine.paused).toBe(false);
  });

  it('does not rest while a request waits for its answer', async () => {
    const { clock, machine, rest } = setUp();
    const traffic = rest.track();
    traffic.fromClient();
    await clock.advance(30 * MINUTE);
    expect(machine.paused).toBe(false);
    traffic.fromEngine();
    await clock.advance(5 * MINUTE);
    expect(machine.paused).toBe(true);
  });

  it('wakes on a new connection before letting it through, and sets the clock', async () => {
    const { clock, machine, events, rest } = setUp();
    await clock.advance(5 * MINUTE);
    machine.calls = [];
    let entered = false;
    const entering = rest.enter().then(() => (entered = true));
    expect(entered).toBe(false);
    await entering;
    expect(machine.calls).toEqual(['resume', 'sync-clock']);
    expect(machine.paused).toBe(false);
    expect(events.at(-1)).toBe('wake');
    // Awake again: the next rest is one idle time later.
    await clock.advance(5 * MINUTE);
    expect(machine.paused).toBe(true);
  });

  it('wakes on bytes of a connection that was open before the rest', async () => {
    const { clock, machine, rest } = setUp();
    const traffic = rest.track();
    await clock.advance(5 * MINUTE);
    expect(machine.paused).toBe(true);
    traffic.fromClient();
    await settle();
    expect(machine.paused).toBe(false);
  });

  it('answers a request that arrives while the VM goes to rest: it waits, then wakes it', async () => {
    const { clock, machine, rest } = setUp();
    let releasePause!: () => void;
    machine.pauseGate = new Promise((resolve) => (releasePause = resolve));
    await clock.advance(5 * MINUTE);
    expect(machine.calls.at(-1)).toBe('pause');
    let entered = false;
    const entering = rest.enter().then(() => (entered = true));
    await settle();
    expect(entered).toBe(false);
    releasePause();
    await entering;
    expect(machine.calls.slice(-2)).toEqual(['resume', 'sync-clock']);
    expect(machine.paused).toBe(false);
  });

  it('cuts giving memory back short for a request, and lets it through without a pause', async () => {
    const { clock, machine, events, rest } = setUp();
    machine.squeezeUntilAborted = true;
    await clock.advance(5 * MINUTE);
    expect(machine.calls).toEqual(['ask-engine', 'drop-caches', 'give-back-memory']);
    let entered = false;
    const entering = rest.enter().then(() => (entered = true));
    await settle();
    expect(entered).toBe(true);
    await entering;
    expect(machine.calls).toEqual(['ask-engine', 'drop-caches', 'give-back-memory', 'balloon-out']);
    expect(machine.paused).toBe(false);
    expect(events).toEqual([]);
    expect(rest.resting).toBe(false);
  });

  it('stays awake when a request came while it asked the engine', async () => {
    const { clock, machine, rest } = setUp();
    machine.runningContainers = async () => {
      machine.calls.push('ask-engine');
      rest.track().fromClient(); // the request arrives during the question
      return 0;
    };
    await clock.advance(5 * MINUTE);
    expect(machine.calls).toEqual(['ask-engine']);
    expect(machine.paused).toBe(false);
  });

  it('lets the request go on when the guest is slow to set its clock', async () => {
    const { clock, machine, rest } = setUp();
    await clock.advance(5 * MINUTE);
    machine.syncClock = () => new Promise(() => undefined); // never answers
    let entered = false;
    const entering = rest.enter().then(() => (entered = true));
    await settle();
    expect(entered).toBe(false);
    await clock.advance(999);
    expect(entered).toBe(false);
    await clock.advance(1);
    await entering;
    expect(machine.paused).toBe(false);
  });

  it('a failed wake is the VM failing: the waiting request and later ones are refused', async () => {
    const { clock, machine, failures, rest } = setUp();
    await clock.advance(5 * MINUTE);
    machine.failResume = true;
    await expect(rest.enter()).rejects.toBeInstanceOf(VmRestFailedError);
    expect(failures.map((error) => error.message)).toEqual(['QMP connection closed']);
    await expect(rest.enter()).rejects.toThrow('QMP connection closed');
  });

  it('applies a changed setting at once, and 0 turns resting off', async () => {
    let idleMs = 5 * MINUTE;
    const clock = new FakeClock();
    const machine = new FakeMachine();
    const rest = new VmRest({ machine, clock, idleMs: () => idleMs, onRest: () => {}, onWake: () => {}, onFailed: () => {} });
    idleMs = 0;
    rest.settingsChanged();
    await clock.advance(60 * MINUTE);
    expect(machine.paused).toBe(false);
    idleMs = MINUTE;
    rest.settingsChanged();
    await clock.advance(MINUTE);
    expect(machine.paused).toBe(true);
  });

  it('stops planning once disposed', async () => {
    const { clock, machine, rest } = setUp();
    rest.dispose();
    await clock.advance(60 * MINUTE);
    expect(machine.calls).toEqual([]);
    await expect(rest.enter()).rejects.toBeInstanceOf(VmRestFailedError);
  });
});
