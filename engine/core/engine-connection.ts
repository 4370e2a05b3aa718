/**
 * One live connection to an engine: drives the ConnectionState machine, reconnects with backoff,
 * and turns the engine's event stream into typed events. The event stream doubles as the liveness
 * signal: when dockerd goes away the stream ends, so no polling is needed while connected.
 */
import Dockerode from 'dockerode';
import http from 'node:http';
import https from 'node:https';
import { inspect } from 'node:util';
// Before any request: the engine's redirects are never followed (see the file).
import './no-engine-redirects.js';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { nextConnectionState, type ConnectionInput, type ConnectionState } from './connection-state.js';
import { Emitter, type Disposable } from '../../base/index.js';
import { LineSplitter } from '../../base/index.js';
import { describeEndpoint, type EngineEndpoint } from './endpoint.js';
import { EngineError } from './errors.js';
import { watchForSocket } from './socket-watch.js';
import { SshDialAgent, type SshDialOptions } from '../remote/index.js';
import type { EngineEvent, EngineInfo, EngineObjectType } from './engine-types.js';

const PING_TIMEOUT_MS = 3_000;

/**
 * While connected, a _ping every intervalMs that must be answered within timeoutMs. The event stream
 * tells when the engine goes away, but not when it stops answering with the connection still open: a
 * VM whose network link is down, a hung dockerd, a laptop's sleep. QEMU's user network accepts the
 * TCP connection itself, so neither the kernel's keep-alives nor a connect error would ever say so.
 */
export interface HeartbeatOptions {
  intervalMs: number;
  timeoutMs: number;
  /** Whether the engine in use is watched now, asked at each beat (absent: always); a skipped beat pings nothing. */
  active?: () => boolean;
  /**
   * Who answers a beat instead of the connection's own `_ping`, asked at each beat; null: the connection.
   * Berth's VM answers on a path of its own, since a ping through its doors would count as use and keep
   * it from resting (vm/rest).
   */
  pingVia?: () => HeartbeatPing | null;
}

/** Resolves when the engine answered (or is known to be away on purpose); rejects otherwise. */
export type HeartbeatPing = (signal: AbortSignal) => Promise<void>;

/** A silent engine is noticed within 1.5 s (the UI's goal is 2 s); a ping on a kept-alive connection costs ~2 ms. */
export const DEFAULT_HEARTBEAT: HeartbeatOptions = { intervalMs: 500, timeoutMs: 1_000 };

export interface EngineConnectionOptions {
  /** Off unless given: the app's connection has one, short-lived helpers do not need it. */
  heartbeat?: HeartbeatOptions;
  /** How long a (re)connect's ping may take; 3 s by default. */
  connectTimeoutMs?: number;
  /**
   * How long requests still waiting on a lost engine are left to be answered before they are ended
   * (an unreachable error): 20 s by default. A busy engine that missed a heartbeat still answers them;
   * one whose network came back within that time too.
   */
  abandonRequestsAfterMs?: number;
}

const ABANDON_REQUESTS_AFTER_MS = 20_000;

/** dockerode accepts an abort signal on these calls; its published types predate that. */
interface AbortableCalls {
  ping(options: { abortSignal: AbortSignal }): Promise<unknown>;
  version(options: { abortSignal: AbortSignal }): Promise<Dockerode.DockerVersion>;
}
const EVENT_TYPES: ReadonlySet<string> = new Set<EngineObjectType>(['container', 'image', 'volume', 'network']);

export interface EngineClientOptions {
  /** How ssh:// engines are dialled (an ssh config file for tests); default the user's own ssh setup. */
  ssh?: SshDialOptions;
}

/** docker-modem takes an http(s) agent for every kind of engine; @types/dockerode lists it for none. */
type DockerOptionsWithAgent = Dockerode.DockerOptions & { agent: http.Agent };
const dockerodeWith = (options: DockerOptionsWithAgent) => {
  const described: DockerOptionsWithAgent = { ...options, agent: describedInAWord(options.agent) };
  return new Dockerode(described);
};

/**
 * docker-modem writes every request's options out with util.inspect (hidden properties, no depth limit)
 * before it looks whether its debug log is on: an agent would be walked whole, every socket and request
 * it holds, on every request. Under the API fuzzer Berth spent most of its CPU there (10,000 calls took
 * 306 s instead of 23 s). The agent describes itself in a word instead.
 */
function describedInAWord<A extends http.Agent>(agent: A): A {
  Object.defineProperty(agent, inspect.custom, { value: () => `[${agent.constructor.name}]` });
  return agent;
}

export function createDockerode(endpoint: EngineEndpoint, options: EngineClientOptions = {}): Dockerode {
  switch (endpoint.kind) {
    case 'ssh':
      // The host name only fills the request line; the agent's connections are ssh processes.
      return dockerodeWith({ protocol: 'http', host: 'docker', port: 80, agent: new SshDialAgent(endpoint, options.ssh) });
    // Each client its own agent (not Node's global one), so that a lost engine's requests in flight can
    // be ended (closeClient) instead of waiting on a connection that may never answer.
    case 'unix':
      return dockerodeWith({ socketPath: endpoint.socketPath, agent: new http.Agent({ keepAlive: true }) });
    case 'npipe':
      return dockerodeWith({ socketPath: endpoint.pipePath, agent: new http.Agent({ keepAlive: true }) });
    case 'tcp':
      return endpoint.tls
        ? dockerodeWith({
            protocol: 'https',
            host: endpoint.host,
            port: endpoint.port,
            ...endpoint.tls,
            agent: new https.Agent({ keepAlive: true, ...(endpoint.tls.ciphers ? { ciphers: endpoint.tls.ciphers } : {}) }),
          })
        : dockerodeWith({
            protocol: 'http',
            host: endpoint.host,
            port: endpoint.port,
            agent: new http.Agent({ keepAlive: true }),
          });
  }
}

/** A reason a person can act on, from a socket error. */
export function describeConnectError(error: unknown, endpoint: EngineEndpoint): string {
  const code = (error as { code?: string }).code;
  const where = describeEndpoint(endpoint);
  switch (code) {
    case 'ESSHDIAL':
      // Already names the engine and ssh's reason, shortened.
      return (error as Error).message;
    case 'ETIMEDOUT':
      return `The engine at ${where} did not answer in time.`;
    case 'ENOENT':
      return `No engine socket at ${where}. Is dockerd running?`;
    case 'ECONNREFUSED':
      return `The engine refused the connection at ${where}. Is dockerd running?`;
    case 'EACCES':
      return `Permission denied opening ${where}.`;
    default:
      return `Cannot reach the engine at ${where}: ${(error as Error).message ?? String(error)}`;
  }
}

interface RawEngineEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  timeNano?: number;
}

export function toEngineEvent(raw: RawEngineEvent): EngineEvent | null {
  if (!raw.Type || !EVENT_TYPES.has(raw.Type) || !raw.Action || !raw.Actor?.ID) return null;
  const event: EngineEvent = {
    type: raw.Type as EngineObjectType,
    action: raw.Action,
    id: raw.Actor.ID,
    name: raw.Actor.Attributes?.name ?? null,
    timeNano: raw.timeNano ?? 0,
  };
  const exitCode = raw.Type === 'container' && raw.Action === 'die' ? Number(raw.Actor.Attributes?.exitCode) : NaN;
  if (Number.isInteger(exitCode)) event.exitCode = exitCode;
  return event;
}

/** An attempt that gave up waiting (the ping's deadline), as opposed to one refused. */
function isTimeout(error: unknown): boolean {
  const { name, code } = (error ?? {}) as { name?: string; code?: string };
  return name === 'AbortError' || name === 'TimeoutError' || code === 'ABORT_ERR' || code === 'ETIMEDOUT';
}

/**
 * Ends a client's connections, idle and in use: requests in flight fail at once (ECONNRESET, which
 * services report as an unreachable engine). For ssh: its ssh processes. The agent stays usable.
 */
function closeClient(client: Dockerode): void {
  const agent = (client.modem as unknown as { agent?: { destroy(): void } }).agent;
  agent?.destroy();
}

export class EngineConnection implements Disposable {
  private client: Dockerode;
  private target: EngineEndpoint;
  /** Bumped when the endpoint changes, so a connect() begun against the old one gives up. */
  private generation = 0;
  private current: ConnectionState = { kind: 'idle' };
  private readonly stateEmitter = new Emitter<ConnectionState>();
  private readonly eventEmitter = new Emitter<EngineEvent>();
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private abandonTimer: NodeJS.Timeout | undefined;
  private eventStream: Readable | undefined;
  /** While a unix-socket engine is away: its socket being made again means it is back. */
  private socketWatch: Disposable | null = null;
  /**
   * Retry at once, not after the backoff: the socket was made again during an attempt that then
   * failed, or the attempt timed out on a socket that is there (dockerd restoring its containers
   * before it serves: the attempt itself waited).
   */
  private retrySoon = false;

  /** Fires on every state change. */
  readonly onStateChange = this.stateEmitter.event;
  /** Fires for every container, image, volume and network event while connected. */
  readonly onEvent = this.eventEmitter.event;

  constructor(
    endpoint: EngineEndpoint,
    private readonly clientOptions: EngineClientOptions = {},
    private readonly options: EngineConnectionOptions = {},
  ) {
    this.target = endpoint;
    this.client = createDockerode(endpoint, clientOptions);
  }

  get endpoint(): EngineEndpoint {
    return this.target;
  }

  /** The client for the current endpoint; services ask for it per call, so a new endpoint applies at once. */
  get docker(): Dockerode {
    return this.client;
  }

  /**
   * Points the connection at a new endpoint (the VM's engine after a boot) and connects now: idle
   * starts, unreachable retries at once, connected drops its event stream and reconnects.
   */
  useEndpoint(endpoint: EngineEndpoint): void {
    if (this.current.kind === 'disposed') return;
    const previous = this.client;
    this.target = endpoint;
    this.client = createDockerode(endpoint, this.clientOptions);
    this.generation += 1;
    // The old engine's event stream goes quietly: this is a move, not a lost engine.
    const stream = this.eventStream;
    this.eventStream = undefined;
    stream?.destroy();
    closeClient(previous);
    this.stopWatchingSocket();
    if (this.current.kind === 'idle') return this.start();
    // An attempt in flight belongs to the old endpoint: its generation makes it give up.
    clearTimeout(this.retryTimer);
    this.transition({ type: 'move', endpoint: describeEndpoint(endpoint) });
    void this.connect();
  }

  get state(): ConnectionState {
    return this.current;
  }

  start(): void {
    this.transition({ type: 'start', endpoint: describeEndpoint(this.endpoint) });
    void this.connect();
  }

  /** Throws a typed error when the engine is not connected, so callers fail fast with a reason. */
  assertConnected(): void {
    const state = this.current;
    if (state.kind === 'connected') return;
    const reason =
      state.kind === 'unreachable'
        ? state.reason
        : state.kind === 'connecting' && state.lastFailure
          ? `${state.lastFailure} (Berth is trying again.)`
          : state.kind === 'idle'
            ? 'Berth has not connected to it yet (its VM may still be starting).'
            : `the engine connection is ${state.kind}`;
    throw new EngineError('unreachable', `The engine is unreachable: ${reason}`);
  }

  dispose(): void {
    clearTimeout(this.retryTimer);
    this.stopWatchingSocket();
    clearTimeout(this.heartbeatTimer);
    clearTimeout(this.abandonTimer);
    const stream = this.eventStream;
    this.eventStream = undefined; // so its 'close' is not mistaken for a lost engine
    stream?.destroy();
    closeClient(this.client);
    this.transition({ type: 'dispose' });
  }

  private transition(input: ConnectionInput): void {
    const next = nextConnectionState(this.current, input);
    if (next === this.current) return;
    this.current = next;
    clearTimeout(this.heartbeatTimer);
    if (next.kind === 'connected') {
      clearTimeout(this.abandonTimer);
      this.abandonTimer = undefined;
      this.scheduleHeartbeat(this.generation);
    } else if (input.type === 'lost') {
      this.abandonTimer = setTimeout(() => {
        this.abandonTimer = undefined;
        closeClient(this.client);
      }, this.options.abandonRequestsAfterMs ?? ABANDON_REQUESTS_AFTER_MS);
      this.abandonTimer.unref();
    }
    this.stateEmitter.fire(next);
    if (next.kind === 'connected' || next.kind === 'disposed') this.stopWatchingSocket();
    if (next.kind === 'unreachable') {
      this.watchSocket();
      const delay = this.retrySoon ? 0 : next.retryInMs;
      this.retrySoon = false;
      this.retryTimer = setTimeout(this.retryNow, delay);
    }
  }

  private readonly retryNow = (): void => {
    if (this.current.kind !== 'unreachable') return;
    clearTimeout(this.retryTimer);
    this.transition({ type: 'retry' });
    void this.connect();
  };

  /** A local engine that went away is back as soon as its socket is made again: no need to wait out the backoff. */
  private watchSocket(): void {
    if (this.socketWatch || this.target.kind !== 'unix') return;
    this.socketWatch = watchForSocket(this.target.socketPath, () => {
      if (this.current.kind === 'unreachable') this.retryNow();
      else if (this.current.kind === 'connecting') this.retrySoon = true;
    });
  }

  private stopWatchingSocket(): void {
    this.socketWatch?.dispose();
    this.socketWatch = null;
    this.retrySoon = false;
  }

  private scheduleHeartbeat(generation: number): void {
    const heartbeat = this.options.heartbeat;
    if (!heartbeat) return;
    this.heartbeatTimer = setTimeout(() => void this.beat(heartbeat, generation), heartbeat.intervalMs);
    // A timer that only watches must not keep a process alive that has nothing else to do.
    this.heartbeatTimer.unref();
  }

  private async beat(heartbeat: HeartbeatOptions, generation: number): Promise<void> {
    const timeout = AbortSignal.timeout(heartbeat.timeoutMs);
    const stillOurs = () => this.current.kind === 'connected' && generation === this.generation;
    if (heartbeat.active && !heartbeat.active()) {
      if (stillOurs()) this.scheduleHeartbeat(generation);
      return;
    }
    try {
      const ping = heartbeat.pingVia?.();
      if (ping) await ping(timeout);
      else await (this.docker as unknown as AbortableCalls).ping({ abortSignal: timeout });
      if (stillOurs()) this.scheduleHeartbeat(generation);
    } catch (error) {
      if (!stillOurs()) return;
      const where = describeEndpoint(this.endpoint);
      const seconds = String(heartbeat.timeoutMs / 1000);
      this.loseEngine(
        timeout.aborted
          ? `The engine at ${where} stopped answering (no reply to a ping within ${seconds} s).`
          : describeConnectError(error, this.endpoint),
      );
    }
  }

  /**
   * The engine went silent: unreachable now (a reconnect follows at once). Requests in flight are left
   * to finish, since a slow engine may still answer them; they end if it is still away after
   * abandonRequestsAfterMs.
   */
  private loseEngine(reason: string): void {
    const stream = this.eventStream;
    this.eventStream = undefined; // so its close is not reported a second time
    stream?.destroy();
    this.transition({ type: 'lost', reason });
  }

  private async connect(): Promise<void> {
    let stream: Readable | undefined;
    const generation = this.generation;
    const pingTimeout = AbortSignal.timeout(this.options.connectTimeoutMs ?? PING_TIMEOUT_MS);
    try {
      const calls = this.docker as unknown as AbortableCalls;
      await calls.ping({ abortSignal: pingTimeout });
      // Open the event stream before declaring "connected": anything that happens after must reach
      // listeners. It gets no timeout signal because it is meant to stay open.
      stream = (await this.docker.getEvents({})) as unknown as Readable;
      const version = await calls.version({ abortSignal: AbortSignal.timeout(PING_TIMEOUT_MS) });
      if (this.current.kind !== 'connecting' || generation !== this.generation) {
        stream.destroy();
        return;
      }
      this.watchEvents(stream);
      const info: EngineInfo = {
        version: version.Version,
        apiVersion: version.ApiVersion,
        os: version.Os,
        arch: version.Arch,
        kernelVersion: version.KernelVersion,
      };
      this.transition({ type: 'ping-ok', info });
    } catch (error) {
      stream?.destroy();
      if (this.target.kind === 'unix' && isTimeout(error) && existsSync(this.target.socketPath)) this.retrySoon = true;
      if (this.current.kind === 'connecting' && generation === this.generation) {
        // An engine that accepts the connection and then says nothing (a VM without network) times out.
        const reason = pingTimeout.aborted
          ? `The engine at ${describeEndpoint(this.endpoint)} did not answer in time.`
          : describeConnectError(error, this.endpoint);
        this.transition({ type: 'ping-failed', reason });
      }
    }
  }

  private watchEvents(stream: Readable): void {
    this.eventStream = stream;
    const splitter = new LineSplitter();
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      for (const line of splitter.push(chunk)) {
        try {
          const event = toEngineEvent(JSON.parse(line) as RawEngineEvent);
          if (event) this.eventEmitter.fire(event);
        } catch {
          // A malformed line is the engine's bug, not a reason to drop the connection.
        }
      }
    });
    const lost = (reason: string) => {
      if (this.eventStream !== stream) return;
      this.eventStream = undefined;
      if (this.current.kind === 'connected') this.transition({ type: 'lost', reason });
    };
    stream.on('end', () => lost('The engine closed the connection.'));
    stream.on('close', () => lost('The engine closed the connection.'));
    stream.on('error', (error) => lost(describeConnectError(error, this.endpoint)));
  }
}
