/**
 * "Port 8080 is already in use": by whom. A running container that publishes it (by name, with its id
 * for a link), Berth's own forward, or a process of this computer (pid and program), or a plain "it is
 * taken and Berth cannot see by whom, because…". Containers are asked first: with a local engine the
 * process holding a container's port is the engine's docker-proxy, and the container is the answer.
 */
import type Dockerode from 'dockerode';
import type { EngineConnection } from '../core/index.js';
import type { HostPortLookup } from './host-port-lookup.js';
import type { HostPortProcess, PortHolder } from './port-holder-types.js';

export type { PortHolder };

export interface PortHolderOptions {
  /**
   * Berth's forwards from this computer into the VM: a description of the one on TCP `port`, if any
   * ("forward of container web's port 80"). Asked before the host's processes: the holder there is
   * QEMU, which says nothing of the container.
   */
  berthForward?: (port: number) => string | null;
}

/** The engine's words for a port that is taken, whoever holds it (another container or a host process). */
export function portInUse(message: string): string | null {
  const allocated = /Bind for [^ ]*:(\d+) failed: port is already allocated/i.exec(message);
  if (allocated) return allocated[1]!;
  const listening = /listen (?:tcp|udp|sctp)[46]? [^ ]*:(\d+): bind: address already in use/i.exec(message);
  return listening ? listening[1]! : null;
}

/**
 * Who holds a port, as the words after "Port 8080 is already in use" ("by python3 (pid 4242) on this
 * computer"); empty when nobody could be named. Shared with the VM's forwarder, which says the rest.
 */
export function portHolderPhrase(holder: PortHolder): string {
  switch (holder.kind) {
    case 'container':
      return `by container ${holder.name}`;
    case 'berth':
      return `by Berth's own ${holder.description}`;
    case 'process':
      return `by ${holder.program} (pid ${holder.pid}) on this computer`;
    case 'unseen':
      return `on this computer, but ${holder.reason}`;
    case 'none':
      return '';
  }
}

export function describePortHolder(port: number, holder: PortHolder): string {
  const phrase = portHolderPhrase(holder);
  return phrase ? `Port ${port} is already in use ${phrase}.` : `Port ${port} is already in use.`;
}

export class PortHolderFinder {
  constructor(
    private readonly connection: EngineConnection | null,
    private readonly host: HostPortLookup,
    private readonly options: PortHolderOptions = {},
  ) {}

  async find(port: number): Promise<PortHolder> {
    const container = await this.containerPublishing(port);
    if (container) return container;
    const forward = this.options.berthForward?.(port);
    if (forward) return { kind: 'berth', description: forward };
    const process = await this.host.holderOf(port).catch((): HostPortProcess => ({ kind: 'none' }));
    if (process.kind === 'process' && process.pid === globalThis.process.pid) {
      return { kind: 'berth', description: `app (pid ${process.pid})` };
    }
    return process;
  }

  /** The sentence for a port the engine refused, naming who holds it. */
  async describe(port: number): Promise<string> {
    return describePortHolder(port, await this.find(port));
  }

  private async containerPublishing(port: number): Promise<PortHolder | null> {
    if (!this.connection || this.connection.state.kind !== 'connected') return null;
    const docker: Dockerode = this.connection.docker;
    try {
      const running = await docker.listContainers({ filters: { publish: [String(port)] } });
      const holder = running.find((info) => (info.Ports ?? []).some((binding) => binding.PublicPort === port));
      if (!holder) return null;
      return { kind: 'container', id: holder.Id, name: (holder.Names[0] ?? holder.Id.slice(0, 12)).replace(/^\//, '') };
    } catch {
      return null;
    }
  }
}
