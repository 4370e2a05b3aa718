/**
 * Networks: list (with the containers attached), create, remove, connect, disconnect. The engine's own
 * errors are terse ("Pool overlaps with other one on this address space", "has active endpoints"); each
 * is turned into a sentence that names the network, the container or the overlapping range.
 */
import type Dockerode from 'dockerode';
import { parseIpv4Subnet, subnetsOverlap } from './cidr.js';
import type { EngineConnection } from '../core/index.js';
import { EngineError, toEngineError } from '../core/index.js';
import type { CreateNetworkRequest, NetworkContainer, NetworkSummary } from './network-types.js';

/** The rule Berth applies to new network names (the engine's restricted name pattern, as for volumes). */
export const NETWORK_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const BUILT_IN = new Set(['bridge', 'host', 'none']);

export function networkNameProblem(name: string): string | null {
  if (name.length === 0) return 'A network name is required.';
  if (name.length > 255) return 'A network name can have at most 255 characters.';
  if (!NETWORK_NAME_PATTERN.test(name)) {
    return 'A network name starts with a letter or digit and contains only letters, digits, "_", "." and "-".';
  }
  return null;
}

const containerName = (info: { Names?: string[]; Id: string }) => (info.Names?.[0] ?? info.Id.slice(0, 12)).replace(/^\//, '');

const ACTIVE_STATES = new Set(['running', 'paused', 'restarting']);

/**
 * The networks (as inspect gives them, with their endpoints) and the containers attached to each.
 * Running containers come from the network's endpoints: the engine announces a connect or disconnect
 * before the containers list shows it, so only the endpoints are true when the event's refresh asks.
 * Stopped containers have no endpoint; they come from their own settings, where a stopped container
 * has no network id, only the network's name.
 */
export function toNetworkSummaries(
  networks: Dockerode.NetworkInspectInfo[],
  containers: Dockerode.ContainerInfo[],
): NetworkSummary[] {
  const containerById = new Map(containers.map((container) => [container.Id, container]));
  const idByName = new Map(networks.map((network) => [network.Name, network.Id]));
  const attachedTo = new Map<string, NetworkContainer[]>(networks.map((network) => [network.Id, []]));
  for (const network of networks) {
    for (const [id, endpoint] of Object.entries(network.Containers ?? {})) {
      const container = containerById.get(id);
      attachedTo.get(network.Id)?.push({
        id,
        name: container ? containerName(container) : endpoint.Name || id.slice(0, 12),
        state: container?.State ?? 'running',
        address: endpoint.IPv4Address || null,
      });
    }
  }
  for (const container of containers) {
    if (ACTIVE_STATES.has(container.State)) continue;
    for (const [networkName, settings] of Object.entries(container.NetworkSettings?.Networks ?? {})) {
      const attached = attachedTo.get(settings.NetworkID || idByName.get(networkName) || '');
      if (attached && !attached.some((known) => known.id === container.Id)) {
        attached.push({ id: container.Id, name: containerName(container), state: container.State, address: null });
      }
    }
  }
  return networks
    .map((network) => ({
      id: network.Id,
      name: network.Name,
      driver: network.Driver,
      scope: network.Scope,
      subnets: (network.IPAM?.Config ?? []).map((config) => config.Subnet).filter((subnet): subnet is string => !!subnet),
      internal: network.Internal ?? false,
      builtIn: BUILT_IN.has(network.Name),
      createdAt: network.Created || null,
      containers: (attachedTo.get(network.Id) ?? []).sort((a, b) => a.name.localeCompare(b.name)),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The networks whose IPv4 ranges share addresses with `subnet`, as "name (range)". */
export function overlappingNetworks(subnet: string, networks: Array<Pick<NetworkSummary, 'name' | 'subnets'>>): string[] {
  const wanted = parseIpv4Subnet(subnet);
  if (typeof wanted === 'string') return [];
  const found: string[] = [];
  for (const network of networks) {
    for (const range of network.subnets) {
      const other = parseIpv4Subnet(range);
      if (typeof other !== 'string' && subnetsOverlap(wanted, other)) found.push(`${network.name} (${range})`);
    }
  }
  return found;
}

const listOf = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

export class NetworkService {
  constructor(private readonly connection: EngineConnection) {}

  private get docker(): Dockerode {
    this.connection.assertConnected();
    return this.connection.docker;
  }

  async list(): Promise<NetworkSummary[]> {
    const docker = this.docker;
    try {
      const [listed, containers] = await Promise.all([docker.listNetworks(), docker.listContainers({ all: true })]);
      // The list leaves out endpoints; inspect has them. A network removed meanwhile is simply left out.
      const inspected = await Promise.all(
        listed.map((network) =>
          docker
            .getNetwork(network.Id)
            .inspect()
            .then(
              (info: Dockerode.NetworkInspectInfo) => info,
              () => null,
            ),
        ),
      );
      return toNetworkSummaries(
        inspected.filter((network): network is Dockerode.NetworkInspectInfo => network !== null),
        containers,
      );
    } catch (error) {
      throw toEngineError(error, 'list networks');
    }
  }

  /** A bridge network, with the subnet when one is given. */
  async create(request: CreateNetworkRequest): Promise<NetworkSummary> {
    const { name } = request;
    const nameProblem = networkNameProblem(name);
    if (nameProblem) throw new EngineError('invalid-argument', nameProblem);
    let subnet: string | undefined;
    if (request.subnet !== undefined) {
      const parsed = parseIpv4Subnet(request.subnet);
      if (typeof parsed === 'string') throw new EngineError('invalid-argument', parsed);
      subnet = parsed.text;
    }
    const docker = this.docker;
    let id: string;
    try {
      const created = await docker.createNetwork({
        Name: name,
        Driver: 'bridge',
        // Without it, engines before API 1.44 create a second network of the same name.
        CheckDuplicate: true,
        ...(subnet ? { IPAM: { Driver: 'default', Config: [{ Subnet: subnet }] } } : {}),
      });
      id = created.id;
    } catch (error) {
      throw await this.explainCreateFailure(error, name, subnet);
    }
    const summary = (await this.list()).find((network) => network.id === id);
    if (!summary) throw new EngineError('not-found', `Network ${name} was created but is gone already.`);
    return summary;
  }

  private async explainCreateFailure(error: unknown, name: string, subnet: string | undefined): Promise<EngineError> {
    const engineError = toEngineError(error, `create network ${name}`);
    if (engineError.code === 'conflict' || /already exists/i.test(engineError.message)) {
      return new EngineError('conflict', `A network named ${name} already exists.`);
    }
    if (subnet && /overlaps/i.test(engineError.message)) {
      const others = await this.list().then(
        (networks) => overlappingNetworks(subnet, networks),
        () => [],
      );
      return new EngineError(
        'conflict',
        others.length > 0
          ? `Subnet ${subnet} overlaps with network ${listOf(others)}. Choose a range no other network uses.`
          : `Subnet ${subnet} overlaps with an address range the engine already uses. Choose another range.`,
      );
    }
    if (subnet && /invalid (subnet|cidr)|pool/i.test(engineError.message)) {
      return new EngineError('invalid-argument', `The engine refused subnet ${subnet}: ${engineError.message}`);
    }
    return engineError;
  }

  /** `network` is an id or a name. Refuses, naming them, while running containers are attached. */
  async remove(network: string): Promise<void> {
    const docker = this.docker;
    const name = await this.nameOf(network);
    if (BUILT_IN.has(name)) {
      throw new EngineError(
        'invalid-argument',
        `${name} is one of the engine's own networks (bridge, host, none); it cannot be removed.`,
      );
    }
    try {
      await docker.getNetwork(network).remove();
    } catch (error) {
      const engineError = toEngineError(error, `remove network ${name}`);
      if (engineError.code === 'not-found') throw new EngineError('not-found', `There is no network ${network}.`);
      if (!/active endpoints|in use/i.test(engineError.message)) throw engineError;
      const users = await this.runningContainersOn(network);
      throw new EngineError(
        'in-use',
        users.length > 0
          ? `Network ${name} is in use by ${listOf(users)}. Disconnect or stop ${users.length === 1 ? 'that container' : 'those containers'} first.`
          : `Network ${name} is in use: ${engineError.message}`,
      );
    }
  }

  async connect(network: string, container: string): Promise<void> {
    const docker = this.docker;
    const [name, who] = await Promise.all([this.nameOf(network), this.containerNameOf(container)]);
    try {
      await docker.getNetwork(network).connect({ Container: container });
    } catch (error) {
      throw this.explainAttachFailure(error, 'connect', name, who);
    }
  }

  async disconnect(network: string, container: string): Promise<void> {
    const docker = this.docker;
    const [name, who] = await Promise.all([this.nameOf(network), this.containerNameOf(container)]);
    try {
      await docker.getNetwork(network).disconnect({ Container: container, Force: false });
    } catch (error) {
      throw this.explainAttachFailure(error, 'disconnect', name, who);
    }
  }

  private explainAttachFailure(error: unknown, verb: 'connect' | 'disconnect', network: string, container: string): EngineError {
    const direction = verb === 'connect' ? 'to' : 'from';
    const engineError = toEngineError(error, `${verb} container ${container} ${direction} network ${network}`);
    const message = engineError.message;
    if (/no such container/i.test(message)) return new EngineError('not-found', `There is no container ${container}.`);
    if (/already exists in network/i.test(message)) {
      return new EngineError('conflict', `Container ${container} is already connected to network ${network}.`);
    }
    if (/is not connected to/i.test(message)) {
      return new EngineError('conflict', `Container ${container} is not connected to network ${network}.`);
    }
    if (/host network/i.test(message)) {
      return new EngineError('invalid-argument', `Containers cannot be connected to or disconnected from the host network.`);
    }
    if (/sharing network namespace/i.test(message)) {
      return new EngineError(
        'invalid-argument',
        `Container ${container} uses the network of the host or of another container, so it cannot join other networks.`,
      );
    }
    return engineError;
  }

  /** The network's name for messages; not-found when there is no such network. */
  private async nameOf(network: string): Promise<string> {
    try {
      const info = await this.docker.getNetwork(network).inspect();
      return info.Name;
    } catch (error) {
      const engineError = toEngineError(error, `inspect network ${network}`);
      if (engineError.code === 'not-found') throw new EngineError('not-found', `There is no network ${network}.`);
      throw engineError;
    }
  }

  /** The container's name for messages; not-found when there is no such container. */
  private async containerNameOf(container: string): Promise<string> {
    try {
      return (await this.docker.getContainer(container).inspect()).Name.replace(/^\//, '');
    } catch (error) {
      const engineError = toEngineError(error, `inspect container ${container}`);
      if (engineError.code === 'not-found') throw new EngineError('not-found', `There is no container ${container}.`);
      throw engineError;
    }
  }

  private async runningContainersOn(network: string): Promise<string[]> {
    try {
      const info = await this.docker.getNetwork(network).inspect();
      return Object.values(info.Containers ?? {})
        .map((endpoint) => endpoint.Name)
        .filter((name): name is string => !!name)
        .sort();
    } catch {
      return [];
    }
  }
}
