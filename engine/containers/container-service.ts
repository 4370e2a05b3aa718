/**
 * Containers: list, start, stop, restart, remove; the detail features (actions, logs, stats, files)
 * live in their own services, reached from here. Knows nothing of Electron or WebSocket.
 */
import type Dockerode from 'dockerode';
import { COMPOSE_PROJECT_LABEL, COMPOSE_SERVICE_LABEL, ContainerActions } from './container-actions.js';
import { ContainerFiles } from './container-files.js';
import { ContainerLogs } from './container-logs.js';
import { ContainerStats } from './container-stats.js';
import type { EngineConnection } from '../core/index.js';
import { EngineError, toEngineError } from '../core/index.js';
import { ReadAhead } from '../core/index.js';
import { awaitForwards, portInUse, type ForwardsReady } from '../ports/index.js';
import type { ContainerState, ContainerSummary, PublishedPort } from '../core/index.js';

const STATES: ReadonlySet<string> = new Set<ContainerState>([
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
]);

/** The engine lists a port once per address family (0.0.0.0 and ::); a person wants it once. */
export function toPublishedPorts(ports: Dockerode.Port[]): PublishedPort[] {
  const seen = new Set<string>();
  const result: PublishedPort[] = [];
  for (const port of ports) {
    const key = `${port.PublicPort ?? ''}/${port.PrivatePort}/${port.Type}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push({
      hostPort: port.PublicPort ?? null,
      hostIp: port.IP ?? null,
      containerPort: port.PrivatePort,
      protocol: (port.Type as PublishedPort['protocol']) ?? 'tcp',
    });
  }
  return result.sort((a, b) => (a.hostPort ?? 0) - (b.hostPort ?? 0) || a.containerPort - b.containerPort);
}

export function toContainerSummary(info: Dockerode.ContainerInfo): ContainerSummary {
  return {
    id: info.Id,
    name: (info.Names[0] ?? info.Id.slice(0, 12)).replace(/^\//, ''),
    image: info.Image,
    imageId: info.ImageID,
    command: info.Command,
    state: STATES.has(info.State) ? (info.State as ContainerState) : 'dead',
    status: info.Status,
    ports: toPublishedPorts(info.Ports ?? []),
    created: info.Created,
    composeProject: info.Labels?.[COMPOSE_PROJECT_LABEL] ?? null,
    composeService: info.Labels?.[COMPOSE_SERVICE_LABEL] ?? null,
  };
}

/** How long a list read ahead of a page's request stays good when nothing changes. */
const READ_AHEAD_MAX_AGE_MS = 3_000;

export class ContainerService {
  private readonly readAhead: ReadAhead<ContainerSummary[]>;
  readonly actions: ContainerActions;
  readonly logs: ContainerLogs;
  readonly stats: ContainerStats;
  readonly files: ContainerFiles;

  /**
   * describePort names who holds a host port a start was refused (PortHolderFinder.describe);
   * forwardsReady (Berth's VM) is waited for after a start or restart, so its ports answer once it returns.
   */
  constructor(
    private readonly connection: EngineConnection,
    private readonly describePort?: (port: number) => Promise<string>,
    private readonly forwardsReady?: ForwardsReady,
  ) {
    this.actions = new ContainerActions(connection, this);
    this.logs = new ContainerLogs(connection);
    this.stats = new ContainerStats(connection);
    this.files = new ContainerFiles(connection);
    this.readAhead = new ReadAhead(
      () => this.readList(),
      (changed) => connection.onEvent((event) => event.type === 'container' && changed()),
      READ_AHEAD_MAX_AGE_MS,
    );
  }

  /**
   * Starts reading the list now because a page that will ask for it is loading: the engine's listing
   * (most of the wait on a big host) then overlaps the page's start instead of following it.
   */
  readListAhead(): void {
    if (this.connection.state.kind === 'connected') this.readAhead.start();
  }

  private get docker(): Dockerode {
    this.connection.assertConnected();
    return this.connection.docker;
  }

  /** Every container, running and stopped. Never asks for sizes: `size=true` takes minutes on big hosts. */
  async list(): Promise<ContainerSummary[]> {
    const early = this.readAhead.take();
    if (early) {
      try {
        return await early;
      } catch {
        // Read afresh below: the early read's failure may be gone, and if not it is reported there.
      }
    }
    return this.readList();
  }

  private async readList(): Promise<ContainerSummary[]> {
    try {
      const infos = await this.docker.listContainers({ all: true });
      return infos.map(toContainerSummary);
    } catch (error) {
      throw toEngineError(error, 'list containers');
    }
  }

  /** The summaries of just these containers (one engine call), for updates driven by events. */
  async listByIds(ids: string[]): Promise<ContainerSummary[]> {
    if (ids.length === 0) return [];
    try {
      const infos = await this.docker.listContainers({ all: true, filters: { id: ids } });
      return infos.map(toContainerSummary);
    } catch (error) {
      throw toEngineError(error, 'list containers');
    }
  }

  async start(id: string): Promise<void> {
    try {
      await this.act(id, 'start', (container) => container.start());
    } catch (error) {
      const port = error instanceof EngineError ? portInUse(error.message) : null;
      if (!port || !this.describePort) throw error;
      throw new EngineError(
        'in-use',
        `${await this.describePort(Number(port)).catch(() => `Port ${port} is already in use.`)} Container ${id} was not started.`,
      );
    }
    await awaitForwards(this.forwardsReady, id);
  }

  async stop(id: string): Promise<void> {
    await this.act(id, 'stop', (container) => container.stop());
  }

  async restart(id: string): Promise<void> {
    await this.act(id, 'restart', (container) => container.restart());
    await awaitForwards(this.forwardsReady, id);
  }

  async remove(id: string, options: { force: boolean }): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: options.force, v: false });
    } catch (error) {
      const engineError = toEngineError(error, `remove container ${id}`);
      if (engineError.code === 'conflict' && /running container|stop the container/i.test(engineError.message)) {
        const name = await this.displayName(id);
        throw new EngineError('in-use', `Container ${name} is running. Stop it first, or remove it with force.`);
      }
      throw engineError;
    }
  }

  /** The container's name for messages; the id it was called with when the engine cannot say. */
  private async displayName(id: string): Promise<string> {
    try {
      const [summary] = await this.listByIds([id]);
      return summary?.name ?? id;
    } catch {
      return id;
    }
  }

  private async act(id: string, verb: string, action: (container: Dockerode.Container) => Promise<unknown>): Promise<void> {
    try {
      await action(this.docker.getContainer(id));
    } catch (error) {
      // Already in the wanted state (HTTP 304) is success for a person who clicked a button.
      if ((error as { statusCode?: number }).statusCode === 304) return;
      throw toEngineError(error, `${verb} container ${id}`);
    }
  }
}
