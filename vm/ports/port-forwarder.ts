/**
 * Keeps the VM's host forwards equal to the ports its running containers publish. Driven by the
 * engine: a full resync (the container list) when the connection comes up (after boot, when
 * containers with restart policies are back, and after any reconnect), and per-container changes on
 * start and die events. Nothing polls. Passes never overlap; changes that arrive during one are
 * handled together in the next.
 */
import { performance } from 'node:perf_hooks';
import { DisposableStore, Emitter, type Disposable } from '../../base/index.js';
import type { PortHolder } from '../../engine/ports/port-holder-types.js';
import { HostForwardError, isLoopbackPortFree, type HostForwardTable } from './host-forward-table.js';
import {
  berthForwardDescription,
  diffForwards,
  forwardFailedMessage,
  forwardKey,
  planForwards,
  portTakenMessage,
  sameProblems,
  type ForwardProtocol,
  type PortedContainer,
  type PortForward,
} from './port-plan.js';

export type ContainerChange =
  /** Look at every container again: the first connection, or events may have been missed. */
  | { kind: 'resync' }
  /** This container started: look it up. */
  | { kind: 'started'; id: string }
  /** This container's process ended or it was removed: its ports are gone. */
  | { kind: 'stopped'; id: string };

/** Where the forwarder learns which containers run (engine-container-source.ts; a fake in tests). */
export interface ContainerSource {
  listRunning(): Promise<PortedContainer[]>;
  /** One container as it is now, or null when it no longer exists. */
  inspect(id: string): Promise<PortedContainer | null>;
  /** Calls listener on each change; returns the unsubscriber. */
  onChange(listener: (change: ContainerChange) => void): Disposable;
}

export type PortProblems = ReadonlyMap<string, readonly string[]>;

export interface PortForwarderOptions {
  source: ContainerSource;
  table: HostForwardTable;
  /** Replaced in unit tests, which must not depend on what this machine has bound. */
  isPortFree?: (protocol: ForwardProtocol, port: number) => Promise<boolean>;
  /**
   * Who holds a host port a forward could not have (engine/ports' PortHolderFinder), so the problem
   * names them; absent, or when it fails, the problem only says the port is taken.
   */
  describeTakenPort?: (forward: PortForward) => Promise<PortHolder>;
}

/** How long the last pass took, from the first change it handled to the forwards being in place. */
export interface ReconcileTiming {
  requestedToDoneMs: number;
  added: number;
  removed: number;
}

export class PortForwarder implements Disposable {
  private readonly active = new Map<string, PortForward>();
  /** The running containers as far as the engine has told us, by id. */
  private known = new Map<string, PortedContainer>();
  private pending: ContainerChange[] = [];
  private problems: PortProblems = new Map();
  private readonly problemsEmitter = new Emitter<PortProblems>();
  private readonly forwardsEmitter = new Emitter<readonly PortForward[]>();
  private readonly subscriptions = new DisposableStore();
  private readonly isPortFree: (protocol: ForwardProtocol, port: number) => Promise<boolean>;
  private draining: Promise<void> | null = null;
  /** performance.now() of the oldest change not yet taken up by a pass, or null when none waits. */
  private requestedAt: number | null = null;
  private disposed = false;
  private timing: ReconcileTiming | null = null;
  private failure: string | null = null;

  /** Fires with the whole map (container id to messages) whenever it changes. */
  readonly onProblemsChange = this.problemsEmitter.event;
  /** Fires with the active forwards whenever one is added or removed. */
  readonly onForwardsChange = this.forwardsEmitter.event;

  constructor(private readonly options: PortForwarderOptions) {
    this.isPortFree = options.isPortFree ?? isLoopbackPortFree;
  }

  start(): void {
    this.subscriptions.add(this.options.source.onChange((change) => void this.enqueue(change)));
  }

  portProblems(): PortProblems {
    return this.problems;
  }

  forwards(): PortForward[] {
    return [...this.active.values()].map((forward) => ({ ...forward, containerIds: [...forward.containerIds] }));
  }

  get lastTiming(): ReconcileTiming | null {
    return this.timing;
  }

  /**
   * Which of these forwards holds TCP `port` on this computer, as "forward of container web's port 80",
   * or null: for whoever finds the port taken (a run on another engine, or another forward).
   */
  forwardHolding(port: number): string | null {
    const forward = this.active.get(forwardKey({ protocol: 'tcp', hostPort: port }));
    if (!forward) return null;
    for (const id of forward.containerIds) {
      const container = this.known.get(id);
      const published = container?.ports.find((p) => p.protocol === 'tcp' && p.hostPort === port);
      if (container && published) return berthForwardDescription(container, published.containerPort);
    }
    return `forward of port ${port} into the VM`; // its container is not known yet
  }

  /** Why the last pass could not finish (the engine or QEMU went away mid-way), or null. */
  get lastFailure(): string | null {
    return this.failure;
  }

  /**
   * Looks at this container now instead of waiting for its start event; resolves once its forwards are
   * in place or its problems known (or the pass failed: the engine or QEMU went away). A run or start
   * in the UI waits for this, so a fetch right after "running" finds the port. id: an id or a name.
   */
  forwardsReady(containerId: string): Promise<void> {
    return this.enqueue({ kind: 'started', id: containerId });
  }

  /** Asks for a full resync; resolves once a pass that began after this call has finished. */
  reconcile(): Promise<void> {
    return this.enqueue({ kind: 'resync' });
  }

  private enqueue(change: ContainerChange): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.pending.push(change);
    this.requestedAt ??= performance.now();
    this.draining ??= this.drain().finally(() => (this.draining = null));
    return this.draining;
  }

  /**
   * Stops listening, and tells listeners there are no forwards and no problems any more. The forwards
   * are left in QEMU: this runs when the VM stops or exits, and removing them one by one from a QEMU
   * that is going away would only slow the stop down.
   */
  dispose(): void {
    this.disposed = true;
    this.subscriptions.dispose();
    const hadForwards = this.active.size > 0;
    this.active.clear();
    if (hadForwards) this.forwardsEmitter.fire([]);
    if (this.problems.size > 0) {
      this.problems = new Map();
      this.problemsEmitter.fire(this.problems);
    }
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 && !this.disposed) {
      const requestedAt = this.requestedAt ?? performance.now();
      this.requestedAt = null;
      const changes = this.pending.splice(0);
      try {
        await this.learn(changes);
        const { added, removed } = await this.reconcileOnce();
        this.failure = null;
        this.timing = { requestedToDoneMs: performance.now() - requestedAt, added, removed };
      } catch (error) {
        // The engine or QEMU went away mid-pass. Nothing retries on a timer: what this pass did not
        // learn is relearned in full by the next one (a reconnect of the engine asks for it anyway),
        // and a VM that stopped disposes this forwarder.
        this.failure = (error as Error).message;
        if (!this.disposed) this.pending.unshift({ kind: 'resync' });
        if (this.pending.length === 1) {
          this.requestedAt = null;
          return; // nothing new arrived: wait for the next change instead of spinning on an error
        }
      }
    }
  }

  /** Updates what is known of the running containers; only a container's last change counts. */
  private async learn(changes: readonly ContainerChange[]): Promise<void> {
    if (changes.some((change) => change.kind === 'resync')) {
      const running = await this.options.source.listRunning();
      this.known = new Map(running.map((container) => [container.id, container]));
    }
    const latest = new Map<string, ContainerChange['kind']>();
    for (const change of changes) if (change.kind !== 'resync') latest.set(change.id, change.kind);
    for (const [id, kind] of latest) {
      // A container that died may still be listed as running for a moment: its die event wins.
      const container = kind === 'started' ? await this.options.source.inspect(id) : null;
      // Keyed by the engine's id, whatever named it here (forwardsReady may be given a name).
      if (container) this.known.set(container.id, container);
      else this.known.delete(id);
    }
  }

  private async holderOf(forward: PortForward): Promise<PortHolder | undefined> {
    return this.options.describeTakenPort?.(forward).catch(() => undefined);
  }

  private async reconcileOnce(): Promise<{ added: number; removed: number }> {
    const plan = planForwards([...this.known.values()]);
    if (this.disposed) return { added: 0, removed: 0 };
    const { add, remove } = diffForwards(this.active, plan.wanted);
    const problems = new Map([...plan.problems].map(([id, messages]) => [id, [...messages]]));
    const addProblem = (forward: PortForward, message: string) => {
      for (const id of forward.containerIds) problems.set(id, [...(problems.get(id) ?? []), message]);
    };
    let changed = false;
    for (const forward of remove) {
      if (this.disposed) break;
      await this.options.table.remove(forward);
      this.active.delete(forwardKey(forward));
      changed = true;
    }
    for (const [key, forward] of plan.wanted) if (this.active.has(key)) this.active.set(key, forward);
    let added = 0;
    for (const forward of add) {
      if (this.disposed) break;
      // Checked first because QEMU's refusal gives no reason, and for UDP it may not refuse at all.
      if (!(await this.isPortFree(forward.protocol, forward.hostPort))) {
        addProblem(forward, portTakenMessage(forward, await this.holderOf(forward)));
        continue;
      }
      try {
        await this.options.table.add(forward);
      } catch (error) {
        if (!(error instanceof HostForwardError)) throw error;
        addProblem(forward, forwardFailedMessage(forward, error.message));
        continue;
      }
      this.active.set(forwardKey(forward), forward);
      added++;
      changed = true;
    }
    if (this.disposed) return { added, removed: remove.length };
    if (changed) this.forwardsEmitter.fire(this.forwards());
    if (!sameProblems(this.problems, problems)) {
      this.problems = problems;
      this.problemsEmitter.fire(problems);
    }
    return { added, removed: remove.length };
  }
}
