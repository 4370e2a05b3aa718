/**
 * Which host ports the VM should forward, from the engine's list of running containers. Pure, so the
 * rules (what counts as published, what is a conflict, what a person is told) are tested without a VM.
 *
 * A container port published as `-p 8080:80` is bound by docker-proxy on the VM's 0.0.0.0:8080; QEMU's
 * user network then forwards the host's 127.0.0.1:8080 to the VM's 8080 (`hostfwd_add`).
 */
import type { PublishedPort } from '../../engine/core/index.js';
import { portHolderPhrase, type PortHolder } from '../../engine/ports/port-holder.js';

export type ForwardProtocol = 'tcp' | 'udp';

/** One forward from the host's 127.0.0.1:hostPort to the same port on the VM. */
export interface PortForward {
  protocol: ForwardProtocol;
  hostPort: number;
  /** The containers publishing it (one in practice; the engine refuses a second on the same address). */
  containerIds: string[];
}

export interface PortedContainer {
  id: string;
  /** Without the engine's leading "/"; names the container in "Berth's own forward of container web's port 80". */
  name?: string;
  /** The engine's state; containers the engine lists as paused still own their ports. */
  state: string;
  ports: PublishedPort[];
}

export interface ForwardPlan {
  /** Keyed by forwardKey(). */
  wanted: Map<string, PortForward>;
  /** Published ports that cannot be forwarded whatever the host does, by container id. */
  problems: Map<string, string[]>;
}

export interface ForwardDiff {
  add: PortForward[];
  remove: PortForward[];
}

/** Addresses docker-proxy binds on every interface of the VM, where QEMU's forward arrives. */
const ALL_INTERFACES: ReadonlySet<string> = new Set(['', '0.0.0.0', '::']);
const OWNING_STATES: ReadonlySet<string> = new Set(['running', 'paused', 'restarting']);

/** A container inspect's `NetworkSettings.Ports` ("80/tcp" → host bindings), as the list's published ports. */
export function publishedPortsFromBindings(
  bindings: Record<string, ReadonlyArray<{ HostIp?: string; HostPort?: string }> | null | undefined> | null | undefined,
): PublishedPort[] {
  const seen = new Set<string>();
  const result: PublishedPort[] = [];
  for (const [key, hosts] of Object.entries(bindings ?? {})) {
    const [portText, protocol = 'tcp'] = key.split('/');
    const containerPort = Number(portText);
    if (!Number.isInteger(containerPort) || (protocol !== 'tcp' && protocol !== 'udp' && protocol !== 'sctp')) continue;
    for (const host of hosts ?? []) {
      const hostPort = Number(host.HostPort);
      if (!Number.isInteger(hostPort) || hostPort <= 0) continue;
      // The engine binds each port once per address family (0.0.0.0 and ::): one entry is enough.
      const id = `${protocol}/${hostPort}/${containerPort}`;
      if (seen.has(id)) continue;
      seen.add(id);
      result.push({ hostPort, hostIp: host.HostIp ?? '', containerPort, protocol });
    }
  }
  return result;
}

export function forwardKey(forward: Pick<PortForward, 'protocol' | 'hostPort'>): string {
  return `${forward.protocol}:${forward.hostPort}`;
}

export function describeForward(forward: Pick<PortForward, 'protocol' | 'hostPort'>): string {
  return forward.protocol === 'tcp' ? `Port ${forward.hostPort}` : `UDP port ${forward.hostPort}`;
}

/** holder: who has the port, when it could be found (engine/ports); without one, just that it is taken. */
export function portTakenMessage(forward: Pick<PortForward, 'protocol' | 'hostPort'>, holder?: PortHolder): string {
  const phrase = (holder && portHolderPhrase(holder)) || 'on this computer';
  return `${describeForward(forward)} is already in use ${phrase}; the container's port is reachable only inside the VM.`;
}

/** How Berth's own forward of a port is named to someone whose port it took. */
export function berthForwardDescription(container: Pick<PortedContainer, 'id' | 'name'>, containerPort: number): string {
  return `forward of container ${container.name || container.id.slice(0, 12)}'s port ${containerPort}`;
}

export function forwardFailedMessage(forward: Pick<PortForward, 'protocol' | 'hostPort'>, detail: string): string {
  return `${describeForward(forward)} could not be forwarded to this computer (${detail}); the container's port is reachable only inside the VM.`;
}

function boundToOneAddressMessage(port: PublishedPort): string {
  const forward = { protocol: port.protocol as ForwardProtocol, hostPort: port.hostPort ?? 0 };
  return (
    `${describeForward(forward)} is published on ${port.hostIp} inside the VM only; ` +
    `publish it on all addresses (e.g. -p ${port.hostPort}:${port.containerPort}) to reach it from this computer.`
  );
}

export function planForwards(containers: readonly PortedContainer[]): ForwardPlan {
  const wanted = new Map<string, PortForward>();
  const problems = new Map<string, string[]>();
  const addProblem = (containerId: string, message: string) => {
    const list = problems.get(containerId) ?? [];
    if (!list.includes(message)) list.push(message);
    problems.set(containerId, list);
  };
  for (const container of containers) {
    if (!OWNING_STATES.has(container.state)) continue;
    for (const port of container.ports) {
      // sctp has no QEMU user-net forward; an exposed-only port has no host port to forward.
      if (port.hostPort === null || port.hostPort <= 0) continue;
      if (port.protocol !== 'tcp' && port.protocol !== 'udp') continue;
      // A port bound to one VM address (e.g. -p 127.0.0.1:8080:80) is unreachable from QEMU's forward,
      // which arrives on the VM's eth0; forwarding it would only open a port that resets connections.
      if (!ALL_INTERFACES.has(port.hostIp ?? '')) {
        addProblem(container.id, boundToOneAddressMessage(port));
        continue;
      }
      const key = forwardKey({ protocol: port.protocol, hostPort: port.hostPort });
      const existing = wanted.get(key);
      if (existing) {
        if (!existing.containerIds.includes(container.id)) existing.containerIds.push(container.id);
      } else {
        wanted.set(key, { protocol: port.protocol, hostPort: port.hostPort, containerIds: [container.id] });
      }
    }
  }
  return { wanted, problems };
}

/** What to remove (first, so a port moving between containers is free again) and what to add. */
export function diffForwards(active: ReadonlyMap<string, PortForward>, wanted: ReadonlyMap<string, PortForward>): ForwardDiff {
  const remove = [...active].filter(([key]) => !wanted.has(key)).map(([, forward]) => forward);
  const add = [...wanted].filter(([key]) => !active.has(key)).map(([, forward]) => forward);
  return { add, remove };
}

/** Two problem maps with the same containers and messages (so listeners hear only real changes). */
export function sameProblems(a: ReadonlyMap<string, readonly string[]>, b: ReadonlyMap<string, readonly string[]>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, messages] of a) {
    const other = b.get(id);
    if (!other || other.length !== messages.length || messages.some((message, i) => other[i] !== message)) return false;
  }
  return true;
}
