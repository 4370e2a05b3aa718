/**
 * What the running VM offers the host beyond its TLS endpoint: published container ports forwarded
 * to 127.0.0.1, a unix socket for DOCKER_HOST, the `berth` docker context, and the compose and buildx
 * CLI plugins for the user's docker (cli-plugins.ts). VmService owns one of
 * these for its lifetime, attaches it to each boot once the engine answers, and detaches it when the
 * VM stops or dies; listeners subscribe once and hear about every boot.
 */
import path from 'node:path';
import { DisposableStore, Emitter, type Disposable } from '../../base/index.js';
import { EngineConnection } from '../../engine/core/index.js';
import type { EngineEndpoint } from '../../engine/core/index.js';
import { hostPortLookupFor, PortHolderFinder, type HostPortLookup } from '../../engine/ports/index.js';
import { freeLoopbackPort } from '../qemu/host-facts.js';
import { QemuHostForwardTable } from '../ports/host-forward-table.js';
import { engineContainerSource } from '../ports/engine-container-source.js';
import { PortForwarder, type PortProblems } from '../ports/port-forwarder.js';
import type { PortForward } from '../ports/port-plan.js';
import { RelayedForwardTable } from '../ports/relayed-forward-table.js';
import { installCliPlugins, type CliPluginsReport } from './cli-plugins.js';
import { ensureDockerContext, type DockerContextOptions, type DockerContextResult } from './docker-context.js';
import type { DoorGate } from '../rest/index.js';
import { HostSocketProxy, type EngineTlsTarget } from './host-socket.js';

export interface VmHostServicesOptions {
  stateDir: string;
  /** false: leave the docker CLI's contexts alone (tests that do not own a DOCKER_CONFIG). */
  dockerContext?: DockerContextOptions | false;
  /**
   * Berth's docker CLI plugins (vm/.build/cli-plugins/<arch>), installed for the user's docker at each
   * boot where that takes nothing from them; absent or false: not touched (tests, a user who said no).
   */
  cliPlugins?: { sourceDir: string; systemDirs?: string[] } | false;
  /** Who holds a host port a forward cannot have; this system's lookup by default. */
  hostPorts?: HostPortLookup;
}

/** The running VM, as far as these services need it. */
export interface AttachedVm {
  monitorCommand(commandLine: string): Promise<string>;
}

const NO_PROBLEMS: PortProblems = new Map();
/**
 * The longest a run or start waits for its container's forwards: a pass is an inspect and a monitor
 * command or two (tens of ms); past this the engine or QEMU is stuck, and the run is not held up for it.
 */
const FORWARDS_READY_TIMEOUT_MS = 10_000;

/** Engine connections the host socket keeps ready: one for a command, one for its second connection. */
const HOST_SOCKET_SPARES = 2;

export class VmHostServices implements Disposable {
  private attached: { forwarder: PortForwarder; table: RelayedForwardTable; resources: DisposableStore } | null = null;
  private target: EngineTlsTarget | null = null;
  private context: DockerContextResult | null = null;
  private plugins: CliPluginsReport | null = null;
  /** The install in progress (one at a time: a quick restart waits for the last one). */
  private pluginsDone: Promise<void> = Promise.resolve();
  private readonly problemsEmitter = new Emitter<PortProblems>();
  private readonly forwardsEmitter = new Emitter<readonly PortForward[]>();
  private readonly pluginsEmitter = new Emitter<CliPluginsReport>();

  readonly onPortProblemsChange = this.problemsEmitter.event;
  readonly onPortForwardsChange = this.forwardsEmitter.event;
  /** Fires with cliPlugins once the plugins were looked after for a boot. */
  readonly onCliPluginsChange = this.pluginsEmitter.event;

  constructor(private readonly options: VmHostServicesOptions) {}

  /** Where the host socket is while the VM runs. */
  get socketPath(): string {
    return path.join(this.options.stateDir, 'docker.sock');
  }

  get listening(): boolean {
    return this.attached !== null;
  }

  get dockerContext(): DockerContextResult | null {
    return this.context;
  }

  /** What the last boot did with the docker CLI plugins; null before the first one is done (or when off). */
  get cliPlugins(): CliPluginsReport | null {
    return this.plugins;
  }

  portProblems(): PortProblems {
    return this.attached?.forwarder.portProblems() ?? NO_PROBLEMS;
  }

  portForwards(): PortForward[] {
    return this.attached?.forwarder.forwards() ?? [];
  }

  /** Which forward holds TCP `port` on this computer ("forward of container web's port 80"), or null. */
  forwardHolding(port: number): string | null {
    return this.attached?.forwarder.forwardHolding(port) ?? null;
  }

  /** QEMU's own forward behind a published TCP port (on 127.0.0.1), or null: for benchmarks and tests. */
  qemuForwardPortOf(hostPort: number): number | null {
    return this.attached?.table.internalPortOf(hostPort) ?? null;
  }

  /**
   * Resolves once the container's published ports are forwarded (or found unforwardable), at once when
   * no VM is attached; never rejects, and gives up after FORWARDS_READY_TIMEOUT_MS.
   */
  async forwardsReady(containerId: string): Promise<void> {
    const forwarder = this.attached?.forwarder;
    if (!forwarder) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, FORWARDS_READY_TIMEOUT_MS)));
    await Promise.race([forwarder.forwardsReady(containerId).catch(() => undefined), timeout]);
    clearTimeout(timer);
  }

  /**
   * Starts the services for a VM whose engine answers at endpoint. The socket must listen (else the
   * start fails: DOCKER_HOST users would find nothing); forwards follow the engine on their own; the
   * context is best effort. gate: the socket's connections wait on it (a resting VM wakes first).
   */
  async attach(vm: AttachedVm, endpoint: EngineEndpoint, gate?: DoorGate): Promise<void> {
    this.detach();
    if (endpoint.kind !== 'tcp' || !endpoint.tls) throw new Error('The VM engine endpoint must be TCP with TLS.');
    this.target = { host: endpoint.host, port: endpoint.port, tls: endpoint.tls };
    const [socket, context] = await Promise.all([
      HostSocketProxy.listen({ socketPath: this.socketPath, target: () => this.target, gate, spares: HOST_SOCKET_SPARES }),
      this.options.dockerContext === false ? null : ensureDockerContext(`unix://${this.socketPath}`, this.options.dockerContext),
    ]);
    this.context = context;
    this.lookAfterCliPlugins();
    if (!this.target) {
      socket.dispose(); // detached while listening: the VM went away
      return;
    }
    // Disposed in reverse: the forwarder's listeners last, so its final "no problems" is relayed.
    const resources = new DisposableStore();
    resources.add(socket);
    const connection = resources.add(new EngineConnection(endpoint));
    // No engine for the finder: the VM's container publishing the port is the one that wants it.
    const holders = new PortHolderFinder(null, this.options.hostPorts ?? hostPortLookupFor(), {
      berthForward: (port) => forwarder.forwardHolding(port),
    });
    // Published TCP ports are Berth's own listeners in front of QEMU's (which drops SYNs under load);
    // disposed with the boot, so no port stays bound after the VM stops.
    const table = resources.add(
      new RelayedForwardTable({
        qemu: new QemuHostForwardTable((commandLine) => vm.monitorCommand(commandLine)),
        freePort: freeLoopbackPort,
      }),
    );
    const forwarder: PortForwarder = new PortForwarder({
      source: engineContainerSource(connection),
      table,
      // The host lookups read TCP listeners only: a taken UDP port keeps the plain message.
      describeTakenPort: async (forward) => (forward.protocol === 'tcp' ? holders.find(forward.hostPort) : { kind: 'none' }),
    });
    resources.add(forwarder.onProblemsChange((problems) => this.problemsEmitter.fire(problems)));
    resources.add(forwarder.onForwardsChange((forwards) => this.forwardsEmitter.fire(forwards)));
    resources.add(forwarder);
    this.attached = { forwarder, table, resources };
    // Subscribed before the connection starts, so its first "connected" triggers the first reconcile.
    forwarder.start();
    connection.start();
  }

  /**
   * Not awaited by attach: copying 130 MB the first time must not hold up the engine. Best effort: a
   * failure is an outcome the Engine view shows, never a failed start.
   */
  private lookAfterCliPlugins(): void {
    const plugins = this.options.cliPlugins;
    if (!plugins) return;
    const env = (this.options.dockerContext || undefined)?.env;
    this.pluginsDone = this.pluginsDone
      .then(() => installCliPlugins({ ...plugins, stateDir: this.options.stateDir, env }))
      .then((report) => {
        this.plugins = report;
        this.pluginsEmitter.fire(report);
      })
      .catch(() => undefined);
  }

  /** The VM is stopping or gone: no new socket connections, no forwarder, no problems to show. */
  detach(): void {
    this.target = null;
    const attached = this.attached;
    this.attached = null;
    attached?.resources.dispose();
  }

  dispose(): void {
    this.detach();
  }
}
