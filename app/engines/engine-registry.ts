/**
 * The engines Berth knows and the one every view shows. Switching moves the one EngineConnection to
 * another endpoint (as the VM's boot does), so the services, streams and terminals built over it
 * follow without being rebuilt; the renderer sees the connection state name the new engine and
 * refreshes. Engines not in use are asked for their version when someone looks at the list.
 */
import { randomBytes } from 'node:crypto';
import { Emitter, toDisposable, type Disposable } from '../../base/index.js';
import {
  describeEndpoint,
  EngineError,
  type ConnectionState,
  type EngineClientOptions,
  type EngineEndpoint,
} from '../../engine/core/index.js';
import { formatRemoteAddress, parseRemoteAddress } from '../../engine/remote/index.js';
import type { AddEngineInput, EngineEntry, EngineList, EngineStatus } from '../contract/engines-contract.js';
import { endpointOfSaved, EngineFileError, probeEngine } from './engine-endpoints.js';
import type { EngineListStore, SavedEngines } from './engine-list-store.js';

/** An engine Berth brings: its VM, or this computer's engine. */
export interface BuiltInEngine {
  id: 'vm' | 'local';
  name: string;
  endpoint: EngineEndpoint;
  /** Shown instead of the endpoint ("Berth's VM (QEMU)"). */
  description?: string;
}

/** The part of EngineConnection the registry drives. */
export interface SwitchableConnection {
  readonly endpoint: EngineEndpoint;
  readonly state: ConnectionState;
  onStateChange(listener: (state: ConnectionState) => void): Disposable;
  useEndpoint(endpoint: EngineEndpoint): void;
}

export interface EngineRegistryOptions {
  connection: SwitchableConnection;
  store: EngineListStore;
  /** The engine Berth started with first. */
  builtIns: BuiltInEngine[];
  clientOptions?: EngineClientOptions;
  /** How an engine not in use is asked whether it answers (a test gives its own). */
  probe?: (endpoint: EngineEndpoint) => Promise<EngineStatus>;
}

/** An engine not in use is asked again at most this often when the list is looked at. */
const PROBE_AGAIN_MS = 10_000;

function statusFromConnection(state: ConnectionState): EngineStatus {
  switch (state.kind) {
    case 'connected':
      return { kind: 'reachable', version: state.info.version, apiVersion: state.info.apiVersion };
    case 'connecting':
      return { kind: 'checking' };
    case 'unreachable':
      return { kind: 'unreachable', reason: state.reason };
    case 'idle':
      return { kind: 'unreachable', reason: 'Not connected yet: the VM is not running.' };
    case 'disposed':
      return { kind: 'unreachable', reason: 'Berth is shutting down.' };
  }
}

export class EngineRegistry implements Disposable {
  private saved: SavedEngines;
  private activeId: string;
  private readonly statuses = new Map<string, { status: EngineStatus; at: number }>();
  private readonly changes = new Emitter<void>();
  private readonly probe: (endpoint: EngineEndpoint) => Promise<EngineStatus>;

  /** Fires when an engine is added, removed or switched to, or a status (also the connection's) changes. */
  onChange(listener: () => void): Disposable {
    const own = this.changes.event(listener);
    const connection = this.options.connection.onStateChange(() => listener());
    return toDisposable(() => {
      own.dispose();
      connection.dispose();
    });
  }

  constructor(private readonly options: EngineRegistryOptions) {
    if (options.builtIns.length === 0) throw new Error('EngineRegistry needs the engine Berth started with.');
    this.saved = options.store.load();
    this.activeId = options.builtIns[0]!.id;
    this.probe = options.probe ?? ((endpoint) => probeEngine(endpoint, options.clientOptions));
  }

  /**
   * For the VM's attach: the VM's boot repoints the connection only while the VM is the engine in use;
   * another engine the user switched to stays chosen.
   */
  readonly vmTarget = {
    useEndpoint: (endpoint: EngineEndpoint): void => {
      if (this.activeId === 'vm') this.options.connection.useEndpoint(endpoint);
    },
  };

  /** At launch, when the user named no engine: back to the engine chosen last time, if it is still listed. */
  restoreSaved(): void {
    const id = this.saved.active;
    if (!id || id === this.activeId || !this.exists(id)) return;
    try {
      this.use(id);
    } catch (error) {
      console.warn(`Berth: could not switch back to the engine used last (${(error as Error).message})`);
    }
  }

  get active(): string {
    return this.activeId;
  }

  list(): EngineList {
    const builtIns = this.options.builtIns.map((engine) =>
      this.entry(engine.id, engine.name, engine.id, engine.description ?? describeEndpoint(engine.endpoint), false),
    );
    const added = this.saved.engines.map((engine) =>
      this.entry(engine.id, engine.name, parseRemoteAddress(engine.address).kind, engine.address, true),
    );
    return { engines: [...builtIns, ...added] };
  }

  /** Asks the engines not in use whether they answer, unless that was asked a moment ago. */
  refreshStatuses(): void {
    const now = Date.now();
    for (const { id } of this.list().engines) {
      const last = this.statuses.get(id);
      if (id !== this.activeId && (!last || now - last.at > PROBE_AGAIN_MS)) void this.check(id);
    }
  }

  add(input: AddEngineInput): EngineEntry {
    const address = formatRemoteAddress(parseRemoteAddress(input.address));
    const twin = this.saved.engines.find((engine) => engine.address === address);
    if (twin) throw new EngineError('conflict', `${address} is already in the list, as "${twin.name}".`);
    const id = `${
      input.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 30) || 'engine'
    }-${randomBytes(3).toString('hex')}`;
    const engine = { id, name: input.name, address, tls: input.tls };
    // Unreadable TLS files are refused now, not at the first switch.
    if (input.tls) this.endpointOf(id, engine);
    this.saved = { ...this.saved, engines: [...this.saved.engines, engine] };
    this.options.store.save(this.saved);
    void this.check(id);
    this.changes.fire();
    return this.list().engines.find((entry) => entry.id === id)!;
  }

  remove(id: string): void {
    if (!this.saved.engines.some((engine) => engine.id === id)) {
      throw new EngineError(
        'invalid-argument',
        this.exists(id) ? 'Berth’s own engines cannot be removed.' : `No engine "${id}" in the list.`,
      );
    }
    if (id === this.activeId)
      throw new EngineError('conflict', 'This engine is in use: switch to another one before removing it.');
    this.saved = { ...this.saved, engines: this.saved.engines.filter((engine) => engine.id !== id) };
    if (this.saved.active === id) this.saved.active = null;
    this.options.store.save(this.saved);
    this.statuses.delete(id);
    this.changes.fire();
  }

  use(id: string): void {
    const endpoint = this.endpointById(id);
    if (id === this.activeId) return;
    this.activeId = id;
    this.saved = { ...this.saved, active: id };
    this.options.store.save(this.saved);
    this.options.connection.useEndpoint(endpoint);
    this.changes.fire();
  }

  async check(id: string): Promise<void> {
    if (id === this.activeId) return; // the connection itself says how the engine in use is
    const endpoint = this.endpointById(id, { probing: true });
    if (!endpoint) return;
    this.statuses.set(id, { status: { kind: 'checking' }, at: Date.now() });
    this.changes.fire();
    const status = await this.probe(endpoint);
    if (!this.exists(id)) return;
    this.statuses.set(id, { status, at: Date.now() });
    this.changes.fire();
  }

  dispose(): void {
    // Nothing held: subscribers hold their own disposers. Kept so the composition root releases it in order.
  }

  private exists(id: string): boolean {
    return this.options.builtIns.some((engine) => engine.id === id) || this.saved.engines.some((engine) => engine.id === id);
  }

  private entry(id: string, name: string, kind: EngineEntry['kind'], address: string, removable: boolean): EngineEntry {
    const active = id === this.activeId;
    const status = active
      ? statusFromConnection(this.options.connection.state)
      : (this.statuses.get(id)?.status ?? { kind: 'checking' as const });
    return { id, name, kind, address, removable, active, status };
  }

  private endpointById(id: string): EngineEndpoint;
  private endpointById(id: string, options: { probing: true }): EngineEndpoint | null;
  private endpointById(id: string, options?: { probing: true }): EngineEndpoint | null {
    const builtIn = this.options.builtIns.find((engine) => engine.id === id);
    if (builtIn) return builtIn.endpoint;
    const saved = this.saved.engines.find((engine) => engine.id === id);
    if (!saved) throw new EngineError('invalid-argument', `No engine "${id}" in the list.`);
    try {
      return this.endpointOf(id, saved);
    } catch (error) {
      if (!options?.probing) throw error;
      this.statuses.set(id, { status: { kind: 'unreachable', reason: (error as Error).message }, at: Date.now() });
      this.changes.fire();
      return null;
    }
  }

  private endpointOf(_id: string, engine: SavedEngines['engines'][number]): EngineEndpoint {
    try {
      return endpointOfSaved(engine);
    } catch (error) {
      if (error instanceof EngineFileError) throw new EngineError('invalid-argument', error.message);
      throw error;
    }
  }
}
