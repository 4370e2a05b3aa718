/**
 * What the running VM offers the host beyond its TLS endpoint: published container ports forwarded
 * to 127.0.0.1, a unix socket for DOCKER_HOST, and the `berth` docker context. VmService owns one of
 * these for its lifetime, attaches it to each boot once the engine answers, and detaches it when the
 * VM stops or dies; listeners subscribe once and hear about every boot.
 */
import path from 'node:path';
import { DisposableStore, Emitter, type Disposable } from '../../base/index.js';
import { EngineConnection } from '../../engine/core/index.js';
import type { EngineEndpoint } from '../../engine/core/index.js';
import { QemuHostForwardTable } from '../ports/host-forward-table.js';
import { engineContainerSource } from '../ports/engine-container-source.js';
import { PortForwarder, type PortProblems } from '../ports/port-forwarder.js';
import type { PortForward } from '../ports/port-plan.js';
import { ensureDockerContext, type DockerContextOptions, type DockerContextResult } from './docker-context.js';
import { HostSocketProxy, type EngineTlsTarget } from './host-socket.js';

export interface VmHostServicesOptions {
  stateDir: string;
  /** false: leave the docker CLI's contexts alone (tests that do not own a DOCKER_CONFIG). */
  dockerContext?: DockerContextOptions | false;
}

/** The running VM, as far as these services need it. */
export interface AttachedVm {
  monitorCommand(commandLine: string): Promise<string>;
}

const NO_PROBLEMS: PortProblems = new Map();

export class VmHostServices implements Disposable {
  private attached: { forwarder: PortForwarder; resources: DisposableStore } | null = null;
  private target: EngineTlsTarget | null = null;
  private context: DockerContextResult | null = null;
  private readonly problemsEmitter = new Emitter<PortProblems>();
  private readonly forwardsEmitter = new Emitter<readonly PortForward[]>();

  readonly onPortProblemsChange = this.problemsEmitter.event;
  readonly onPortForwardsChange = this.forwardsEmitter.event;

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

  portProblems(): PortProblems {
    return this.attached?.forwarder.portProblems() ?? NO_PROBLEMS;
  }

  portForwards(): PortForward[] {
    return this.attached?.forwarder.forwards() ?? [];
  }

  /**
   * Starts the services for a VM whose engine answers at endpoint. The socket must listen (else the
   * start fails: DOCKER_HOST users would find nothing); forwards follow the engine on their own; the
   * context is best effort.
   */
  async attach(vm: AttachedVm, endpoint: EngineEndpoint): Promise<void> {
    this.detach();
    if (endpoint.kind !== 'tcp' || !endpoint.tls) throw new Error('The VM engine endpoint must be TCP with TLS.');
    this.target = { host: endpoint.host, port: endpoint.port, tls: endpoint.tls };
    const [socket, context] = await Promise.all([
      HostSocketProxy.listen({ socketPath: this.socketPath, target: () => this.target }),
      this.options.dockerContext === false ? null : ensureDockerContext(`unix://${this.socketPath}`, this.options.dockerContext),
    ]);
    this.context = context;
    if (!this.target) {
      socket.dispose(); // detached while listening: the VM went away
      return;
    }
    // Disposed in reverse: the forwarder's listeners last, so its final "no problems" is relayed.
    const resources = new DisposableStore();
    resources.add(socket);
    const connection = resources.add(new EngineConnection(endpoint));
    const forwarder = new PortForwarder({
      source: engineContainerSource(connection),
      table: new QemuHostForwardTable((commandLine) => vm.monitorCommand(commandLine)),
    });
    resources.add(forwarder.onProblemsChange((problems) => this.problemsEmitter.fire(problems)));
    resources.add(forwarder.onForwardsChange((forwards) => this.forwardsEmitter.fire(forwards)));
    resources.add(forwarder);
    this.attached = { forwarder, resources };
    // Subscribed before the connection starts, so its first "connected" triggers the first reconcile.
    forwarder.start();
    connection.start();
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
