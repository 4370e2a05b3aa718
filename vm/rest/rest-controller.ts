/**
 * Rests the VM when nothing uses it and wakes it on the next request. Every door to the engine (the
 * host socket, the TLS port's relay) reports its traffic here and waits on enter() before it passes a
 * new connection on; bytes on a connection that was open already wake the VM too (slirp holds them
 * until the guest runs again, so nothing is lost). Going to rest: ask the engine and the guest whether
 * anything runs, drop the guest's page cache, give its free memory to the host (the balloon), pause the
 * vCPUs. Waking: resume the vCPUs, then set the guest's clock (it stood still during the rest).
 *
 * Phases: awake -> resting-down (asking, dropping caches, giving memory back, pausing) -> resting -> waking
 * -> awake. A request during resting-down cuts the memory step short, waits for the step in progress and
 * is let through (or wakes the VM at once if it was paused meanwhile): it is answered, not lost.
 */
import type { Disposable } from '../../base/index.js';
import { planRest, restAfterAnswers, type RestAnswers } from './rest-policy.js';

/** What resting needs of the VM; each step may throw (a dead QEMU, a guest that does not answer). */
export interface RestMachine {
  /** Running containers as the engine lists them, asked directly (not through a door: not activity). */
  runningContainers(): Promise<number>;
  /** Container processes in the guest (a build's steps are no containers), or null when it cannot say. */
  containerProcesses(): Promise<number | null>;
  /** Best effort: the guest writes back and drops its page cache. */
  dropCaches(): Promise<void>;
  /**
   * Best effort: the guest's free memory handed to the host (balloon in, then out). Ends early, with
   * the balloon out, once signal aborts (a request arrived).
   */
  giveBackMemory(signal: AbortSignal): Promise<unknown>;
  /** QMP stop: the vCPUs pause; QEMU's main loop (slirp, the monitor) goes on. */
  pause(): Promise<void>;
  /** QMP cont. */
  resume(): Promise<void>;
  /** Best effort, after resume: the guest's clock set to the host's. */
  syncClock(): Promise<void>;
}

export interface RestClock {
  now(): number;
  /** Calls fn once after ms; the returned function cancels it. */
  schedule(fn: () => void, ms: number): () => void;
}

export const SYSTEM_CLOCK: RestClock = {
  now: () => Date.now(),
  schedule: (fn, ms) => {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export interface RestOptions {
  machine: RestMachine;
  /** Read at each decision, so a changed setting applies at once; 0 turns resting off. */
  idleMs: () => number;
  clock?: RestClock;
  /** The vCPUs are paused (since: clock.now()). */
  onRest(since: number): void;
  onWake(wakeMs: number): void;
  /** Pausing or waking failed: the VM cannot go on (VmService shows the error with the console). */
  onFailed(error: Error): void;
}

/**
 * How long a wake waits for the guest's clock to be set before the request goes on: the agent's `date`
 * takes 10-30 ms under TCG, a few hundred ms on a loaded host (278 ms at a load average of 26).
 */
const CLOCK_SYNC_WAIT_MS = 1_000;

type Phase = 'awake' | 'resting-down' | 'resting' | 'waking' | 'failed' | 'disposed';

/** One door connection's traffic: a request waits from the client's bytes until the engine's first answer. */
export interface DoorTraffic {
  readonly fromClient: () => void;
  readonly fromEngine: () => void;
  readonly closed: () => void;
}

/** What a door to the engine needs of the rest controller. */
export interface DoorGate {
  /** The VM rests or is going to rest (the host socket's spares neither age nor open then). */
  readonly resting: boolean;
  /** Resolves once the engine can take a connection (a resting VM is woken first); rejects when it cannot. */
  enter(): Promise<void>;
  track(): DoorTraffic;
}

export class VmRestFailedError extends Error {}

export class VmRest implements Disposable, DoorGate {
  private phase: Phase = 'awake';
  private lastActivityAt: number;
  private readonly waiting = new Set<object>();
  private cancelTimer: (() => void) | null = null;
  /** The pause or wake in progress; requests wait for it. */
  private change: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private readonly clock: RestClock;
  /** Aborts giving memory back (a request arrived during resting-down). */
  private squeeze: AbortController | null = null;

  constructor(private readonly options: RestOptions) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.lastActivityAt = this.clock.now();
    this.replan();
  }

  get resting(): boolean {
    return this.phase === 'resting' || this.phase === 'resting-down';
  }

  /** A door's new connection: resolves once the VM is awake (waking it first); rejects when it cannot wake. */
  async enter(): Promise<void> {
    this.touch();
    for (;;) {
      switch (this.phase) {
        case 'awake':
          return;
        case 'resting-down':
          this.squeeze?.abort();
          await this.change.catch(() => undefined);
          break;
        case 'waking':
          await this.change.catch(() => undefined);
          break;
        case 'resting':
          this.wake();
          break;
        case 'failed':
        case 'disposed':
          throw new VmRestFailedError(this.failure?.message ?? 'The VM has stopped.');
      }
    }
  }

  /** Follows one door connection; bytes from the client wake a resting VM. */
  track(): DoorTraffic {
    const key = {};
    return {
      fromClient: () => {
        this.touch();
        this.waiting.add(key);
        if (this.phase !== 'awake') void this.enter().catch(() => undefined);
      },
      fromEngine: () => {
        this.touch();
        this.waiting.delete(key);
      },
      closed: () => {
        this.waiting.delete(key);
        this.replan();
      },
    };
  }

  /** The setting changed: plan again from now on. */
  settingsChanged(): void {
    if (this.phase === 'awake') this.replan();
  }

  /** Wakes a resting VM (a stop must power off a running guest); resolves when it is awake. */
  async wakeUp(): Promise<void> {
    await this.enter();
  }

  dispose(): void {
    this.phase = 'disposed';
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private touch(): void {
    this.lastActivityAt = this.clock.now();
  }

  private replan(): void {
    if (this.phase !== 'awake') return;
    this.cancelTimer?.();
    this.cancelTimer = null;
    const plan = planRest({
      now: this.clock.now(),
      idleMs: this.options.idleMs(),
      lastActivityAt: this.lastActivityAt,
      waitingRequests: this.waiting.size,
    });
    if (plan.kind === 'never') return;
    if (plan.kind === 'wait') {
      this.cancelTimer = this.clock.schedule(() => this.replan(), Math.max(0, plan.at - this.clock.now()));
      return;
    }
    this.change = this.restDown();
  }

  private async restDown(): Promise<void> {
    this.phase = 'resting-down';
    const askedAt = this.lastActivityAt;
    const { machine } = this.options;
    let answers: RestAnswers;
    try {
      const [runningContainers, containerProcesses] = await Promise.all([
        machine.runningContainers(),
        machine.containerProcesses().catch(() => null),
      ]);
      answers = { runningContainers, containerProcesses };
    } catch {
      // The engine did not answer (busy, restarting): no rest now; look again one idle time later.
      answers = { runningContainers: 1, containerProcesses: null };
    }
    if (this.phase !== 'resting-down') return;
    const verdict = restAfterAnswers(answers, this.clock.now(), this.options.idleMs());
    // A request that came while asking: it was let through (the VM was running); stay awake.
    if (verdict.kind === 'wait' || this.lastActivityAt !== askedAt) {
      this.phase = 'awake';
      if (verdict.kind === 'wait') this.lastActivityAt = verdict.at - this.options.idleMs();
      this.replan();
      return;
    }
    await machine.dropCaches().catch(() => undefined);
    if (this.phase !== 'resting-down') return;
    if (this.lastActivityAt === askedAt) {
      this.squeeze = new AbortController();
      await machine.giveBackMemory(this.squeeze.signal).catch(() => undefined);
      this.squeeze = null;
      if (this.phase !== 'resting-down') return;
    }
    if (this.lastActivityAt !== askedAt) {
      this.phase = 'awake'; // a request came while the caches were dropped or memory given: it is being answered
      this.replan();
      return;
    }
    try {
      await machine.pause();
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    if (this.phase !== 'resting-down') return;
    this.phase = 'resting';
    this.options.onRest(this.clock.now());
  }

  private wake(): void {
    this.phase = 'waking';
    const began = this.clock.now();
    this.change = (async () => {
      try {
        await this.options.machine.resume();
      } catch (error) {
        this.fail(error as Error);
        return;
      }
      if (this.phase !== 'waking') return;
      // The request should meet the right time, but never wait long for it: a guest slow to answer
      // gets its clock set a moment later, the request goes on.
      const synced = this.options.machine.syncClock().catch(() => undefined);
      await new Promise<void>((resolve) => {
        const cancel = this.clock.schedule(resolve, CLOCK_SYNC_WAIT_MS);
        void synced.then(() => (cancel(), resolve()));
      });
      if (this.phase !== 'waking') return;
      this.phase = 'awake';
      this.touch();
      this.options.onWake(this.clock.now() - began);
      this.replan();
    })();
  }

  private fail(error: Error): void {
    if (this.phase === 'disposed') return;
    this.phase = 'failed';
    this.failure = error;
    this.options.onFailed(error);
  }
}
