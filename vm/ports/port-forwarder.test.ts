import { describe, expect, it } from 'vitest';
import { Emitter } from '../../base/index.js';
import type { PublishedPort } from '../../engine/core/index.js';
import { HostForwardError, type HostForwardTable } from './host-forward-table.js';
import {
  PortForwarder,
  type ContainerChange,
  type PortForwarderOptions,
  type ContainerSource,
  type PortProblems,
} from './port-forwarder.js';
import { forwardKey, type PortedContainer } from './port-plan.js';

const published = (hostPort: number, protocol: 'tcp' | 'udp' = 'tcp'): PublishedPort => ({
  hostPort,
  hostIp: '0.0.0.0',
  containerPort: 80,
  protocol,
});

/** An engine whose containers the test sets (what its list says may lag), and whose changes it fires. */
class FakeEngine implements ContainerSource {
  containers: PortedContainer[] = [];
  /** What the list shows, when it lags behind the containers (as the engine's does on a die). */
  listed: PortedContainer[] | null = null;
  lists = 0;
  inspects: string[] = [];
  private readonly changes = new Emitter<ContainerChange>();
  listRunning = async () => {
    this.lists++;
    return (this.listed ?? this.containers).map((container) => ({ ...container }));
  };
  inspect = async (id: string) => {
    this.inspects.push(id);
    // The engine finds a container by id or by name.
    return this.containers.find((container) => container.id === id || container.name === id) ?? null;
  };
  onChange = (listener: (change: ContainerChange) => void) => this.changes.event(listener);
  fire(change: ContainerChange): void {
    this.changes.fire(change);
  }
  get listeners(): number {
    return this.changes.listenerCount;
  }
}

class FakeTable implements HostForwardTable {
  readonly rules = new Set<string>();
  readonly log: string[] = [];
  refuse = new Set<string>();
  add = async (forward: { protocol: 'tcp' | 'udp'; hostPort: number }) => {
    const key = forwardKey(forward);
    this.log.push(`add ${key}`);
    if (this.refuse.has(key)) throw new HostForwardError(`Could not set up host forwarding rule '${key}'`);
    this.rules.add(key);
  };
  remove = async (forward: { protocol: 'tcp' | 'udp'; hostPort: number }) => {
    this.log.push(`remove ${forwardKey(forward)}`);
    this.rules.delete(forwardKey(forward));
  };
}

function setUp(taken: ReadonlySet<string> = new Set(), describeTakenPort?: PortForwarderOptions['describeTakenPort']) {
  const engine = new FakeEngine();
  const table = new FakeTable();
  const forwarder = new PortForwarder({
    source: engine,
    table,
    isPortFree: async (protocol, port) => !taken.has(`${protocol}:${port}`),
    ...(describeTakenPort ? { describeTakenPort } : {}),
  });
  const problems: PortProblems[] = [];
  forwarder.onProblemsChange((map) => problems.push(map));
  return { engine, table, forwarder, problems };
}

describe('PortForwarder', () => {
  it('adds the forwards of running containers and removes them when the containers stop', async () => {
    const { engine, table, forwarder } = setUp();
    engine.containers = [{ id: 'web', state: 'running', ports: [published(8080), published(5353, 'udp')] }];
    await forwarder.reconcile();
    expect([...table.rules].sort()).toEqual(['tcp:8080', 'udp:5353']);
    expect(forwarder.forwards().map(forwardKey).sort()).toEqual(['tcp:8080', 'udp:5353']);

    engine.containers = [];
    await forwarder.reconcile();
    expect(table.rules.size).toBe(0);
    expect(forwarder.forwards()).toEqual([]);
    expect(forwarder.lastTiming).toMatchObject({ added: 0, removed: 2 });
  });

  it('follows start and die events: a started container is looked up, a dead one’s ports go at once', async () => {
    const { engine, table, forwarder } = setUp();
    forwarder.start();
    engine.containers = [{ id: 'web', state: 'running', ports: [published(8080)] }];
    engine.fire({ kind: 'started', id: 'web' });
    await forwarder.reconcile();
    expect([...table.rules]).toEqual(['tcp:8080']);
    expect(engine.inspects).toEqual(['web']);

    // The engine sends die before its list stops showing the container as running.
    engine.listed = engine.containers;
    engine.containers = [];
    const lists = engine.lists;
    engine.fire({ kind: 'stopped', id: 'web' });
    await expect.poll(() => table.rules.size).toBe(0);
    expect(engine.lists).toBe(lists); // the event alone was enough
    forwarder.dispose();
    expect(engine.listeners).toBe(0);
  });

  it('keeps what it knows when the engine cannot be listed, and lists again on the next change', async () => {
    const { engine, table, forwarder } = setUp();
    forwarder.start();
    engine.containers = [{ id: 'web', state: 'running', ports: [published(8080)] }];
    await forwarder.reconcile();
    const list = engine.listRunning;
    engine.listRunning = async () => {
      throw new Error('socket hang up');
    };
    await forwarder.reconcile();
    expect([...table.rules]).toEqual(['tcp:8080']);
    expect(forwarder.lastFailure).toBe('socket hang up');

    engine.listRunning = list;
    engine.containers = [];
    const lists = engine.lists;
    engine.fire({ kind: 'started', id: 'other' });
    await expect.poll(() => table.rules.size).toBe(0);
    expect(engine.lists).toBe(lists + 1);
    expect(forwarder.lastFailure).toBeNull();
  });

  it('folds requests made during a pass into one more pass, and never runs two at once', async () => {
    const { engine, table, forwarder } = setUp();
    engine.containers = [{ id: 'a', state: 'running', ports: [published(1000)] }];
    const first = forwarder.reconcile();
    engine.containers = [{ id: 'b', state: 'running', ports: [published(2000)] }];
    const requests = [forwarder.reconcile(), forwarder.reconcile(), forwarder.reconcile()];
    await Promise.all([first, ...requests]);
    expect(engine.lists).toBe(2);
    expect([...table.rules]).toEqual(['tcp:2000']);
  });

  it('records a problem per container when the host port is taken, and clears it once the port is free', async () => {
    const taken = new Set(['tcp:8080']);
    const { engine, table, forwarder, problems } = setUp(taken);
    engine.containers = [{ id: 'web', state: 'running', ports: [published(8080), published(8081)] }];
    await forwarder.reconcile();
    expect([...table.rules]).toEqual(['tcp:8081']);
    expect(forwarder.portProblems().get('web')).toEqual([
      "Port 8080 is already in use on this computer; the container's port is reachable only inside the VM.",
    ]);

    await forwarder.reconcile(); // same state: no new notification
    expect(problems).toHaveLength(1);

    taken.clear();
    await forwarder.reconcile();
    expect([...table.rules].sort()).toEqual(['tcp:8080', 'tcp:8081']);
    expect(forwarder.portProblems().size).toBe(0);
    expect(problems).toHaveLength(2);
  });

  it('names who holds a taken port, and says only that it is taken when the lookup fails', async () => {
    const asked: string[] = [];
    const { engine, forwarder } = setUp(new Set(['tcp:8080', 'tcp:9090']), async (forward) => {
      asked.push(forwardKey(forward));
      if (forward.hostPort === 9090) throw new Error('/proc is not readable');
      return { kind: 'process', pid: 4242, program: 'python3' };
    });
    engine.containers = [{ id: 'web', state: 'running', ports: [published(8080), published(9090)] }];
    await forwarder.reconcile();
    expect(asked).toEqual(['tcp:8080', 'tcp:9090']);
    expect(forwarder.portProblems().get('web')).toEqual([
      "Port 8080 is already in use by python3 (pid 4242) on this computer; the container's port is reachable only inside the VM.",
      "Port 9090 is already in use on this computer; the container's port is reachable only inside the VM.",
    ]);
  });

  it('tells which of its forwards holds a TCP port, by container name and container port', async () => {
    const { engine, forwarder } = setUp();
    engine.containers = [
      { id: 'a'.repeat(64), name: 'web', state: 'running', ports: [{ ...published(8080), containerPort: 8000 }] },
      { id: 'b'.repeat(64), name: 'dns', state: 'running', ports: [published(5353, 'udp')] },
    ];
    await forwarder.reconcile();
    expect(forwarder.forwardHolding(8080)).toBe("forward of container web's port 8000");
    expect(forwarder.forwardHolding(5353)).toBeNull(); // UDP: not what a TCP lookup asks about
    expect(forwarder.forwardHolding(8081)).toBeNull();
    engine.containers = [];
    await forwarder.reconcile();
    expect(forwarder.forwardHolding(8080)).toBeNull();
  });

  it('turns QEMU’s refusal into a problem too (a port taken between the check and the add)', async () => {
    const { engine, table, forwarder } = setUp();
    table.refuse.add('tcp:8080');
    engine.containers = [{ id: 'web', state: 'running', ports: [published(8080)] }];
    await forwarder.reconcile();
    expect(forwarder.forwards()).toEqual([]);
    expect(forwarder.portProblems().get('web')?.[0]).toMatch(
      /^Port 8080 could not be forwarded to this computer \(Could not set up/,
    );
  });

  it('has a container’s forwards in place when forwardsReady resolves, before its start event comes', async () => {
    const { engine, table, forwarder } = setUp();
    forwarder.start();
    const id = 'c'.repeat(64);
    engine.containers = [{ id, name: 'web', state: 'running', ports: [published(8080)] }];
    await forwarder.forwardsReady('web'); // a run names it; no event has come yet
    expect([...table.rules]).toEqual(['tcp:8080']);
    expect(forwarder.forwardHolding(8080)).toBe("forward of container web's port 80");

    // Known by the engine's id, so its die event (which carries the id) takes the forward away.
    engine.containers = [];
    engine.fire({ kind: 'stopped', id });
    await expect.poll(() => table.rules.size).toBe(0);
    // A container that is gone resolves too, with nothing to forward.
    await forwarder.forwardsReady('web');
    expect(table.rules.size).toBe(0);
  });

  it('removes before it adds, so a port moving from one container to another stays forwarded', async () => {
    const { engine, table, forwarder } = setUp();
    engine.containers = [{ id: 'old', state: 'running', ports: [published(8080)] }];
    await forwarder.reconcile();
    engine.containers = [{ id: 'new', state: 'running', ports: [published(9090)] }];
    await forwarder.reconcile();
    expect(table.log).toEqual(['add tcp:8080', 'remove tcp:8080', 'add tcp:9090']);
  });
});
