/**
 * Container actions beyond start/stop: pause, unpause, kill with a signal, rename, commit, inspect,
 * bulk actions on a selection and per compose project. Failures are sentences a person can act on.
 */
import type Dockerode from 'dockerode';
import type { ActionFailure, CommitResult } from './container-types.js';
import type { EngineConnection } from '../core/index.js';
import { EngineError, toEngineError } from '../core/index.js';
import { parseImageReference } from '../images/index.js';
import { normaliseSignal } from './signals.js';

export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';

export type BulkAction = 'start' | 'stop' | 'restart' | 'remove';

/** The plain lifecycle calls, as ContainerService makes them (with its refined errors). */
export interface ContainerLifecycle {
  start(id: string): Promise<void>;
  stop(id: string): Promise<void>;
  restart(id: string): Promise<void>;
  remove(id: string, options: { force: boolean }): Promise<void>;
}

/** Several containers at once, but not all at once: each stop may wait for its timeout. */
const BULK_CONCURRENCY = 4;

/** "repo[:tag]" split for the commit call; the reference is checked first. */
export function splitCommitReference(input: string): { repo: string; tag: string } {
  const text = input.trim();
  const parsed = parseImageReference(text);
  if (parsed.digest) {
    throw new EngineError('invalid-argument', `Invalid image name "${text}": a new image gets a tag, not a digest (@…).`);
  }
  const repo = parsed.tag === null ? text : text.slice(0, text.length - parsed.tag.length - 1);
  return { repo, tag: parsed.tag ?? 'latest' };
}

/** Runs `work` over the items with at most `limit` in flight. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export class ContainerActions {
  constructor(
    private readonly connection: EngineConnection,
    private readonly lifecycle: ContainerLifecycle,
  ) {}

  private get docker(): Dockerode {
    this.connection.assertConnected();
    return this.connection.docker;
  }

  private refine(error: unknown, context: string): EngineError {
    const engineError = toEngineError(error, context);
    if (/is not running/i.test(engineError.message)) return new EngineError('not-running', engineError.message);
    return engineError;
  }

  private async call(id: string, verb: string, action: (container: Dockerode.Container) => Promise<unknown>): Promise<void> {
    try {
      await action(this.docker.getContainer(id));
    } catch (error) {
      throw this.refine(error, `${verb} container ${id}`);
    }
  }

  pause(id: string): Promise<void> {
    return this.call(id, 'pause', (container) => container.pause());
  }

  unpause(id: string): Promise<void> {
    return this.call(id, 'unpause', (container) => container.unpause());
  }

  async kill(id: string, signal: string): Promise<void> {
    const engineSignal = normaliseSignal(signal);
    return this.call(id, `send ${engineSignal} to`, (container) => container.kill({ signal: engineSignal }));
  }

  async rename(id: string, name: string): Promise<void> {
    try {
      await this.docker.getContainer(id).rename({ name });
    } catch (error) {
      const engineError = toEngineError(error, `rename container ${id}`);
      const holder = /already in use by container "?([0-9a-f]{12})/i.exec(engineError.message);
      if (engineError.code === 'conflict' && holder) {
        throw new EngineError('conflict', `The name "${name}" is already taken by container ${holder[1]}. Choose another name.`);
      }
      throw engineError;
    }
  }

  /** A new image from the container's filesystem (paused meanwhile, as `docker commit` does). */
  async commit(id: string, reference: string, message: string | null): Promise<CommitResult> {
    const { repo, tag } = splitCommitReference(reference);
    try {
      const result = (await this.docker.getContainer(id).commit({ repo, tag, comment: message ?? '', pause: true })) as {
        Id?: string;
        id?: string;
      };
      return { imageId: result.Id ?? result.id ?? '', reference: `${repo}:${tag}` };
    } catch (error) {
      throw this.refine(error, `commit container ${id}`);
    }
  }

  /** The engine's whole description of the container, as `docker inspect` prints it. */
  async inspect(id: string): Promise<Record<string, unknown>> {
    try {
      return (await this.docker.getContainer(id).inspect()) as unknown as Record<string, unknown>;
    } catch (error) {
      throw this.refine(error, `inspect container ${id}`);
    }
  }

  /** The same action on each container; one failure does not stop the others. */
  async bulk(ids: readonly string[], action: BulkAction, options: { force: boolean }): Promise<ActionFailure[]> {
    const names = await this.names(ids);
    const failures: ActionFailure[] = [];
    await eachLimited(ids, BULK_CONCURRENCY, async (id) => {
      try {
        if (action === 'remove') await this.lifecycle.remove(id, { force: options.force });
        else await this.lifecycle[action](id);
      } catch (error) {
        failures.push({ id, name: names.get(id) ?? id, message: toEngineError(error, `${action} ${id}`).message });
      }
    });
    return failures;
  }

  /**
   * A compose project's containers: started oldest first, stopped newest first (the reverse of how
   * they came up, as dependencies usually go), restarted each, or removed (stopped first).
   */
  async project(project: string, action: BulkAction): Promise<ActionFailure[]> {
    let infos: Dockerode.ContainerInfo[];
    try {
      infos = await this.docker.listContainers({ all: true, filters: { label: [`${COMPOSE_PROJECT_LABEL}=${project}`] } });
    } catch (error) {
      throw toEngineError(error, `list the containers of ${project}`);
    }
    if (infos.length === 0) throw new EngineError('not-found', `Compose project "${project}" has no containers.`);
    const ordered = [...infos].sort((a, b) => a.Created - b.Created).map((info) => info.Id);
    const failures: ActionFailure[] = [];
    const names = new Map(infos.map((info) => [info.Id, (info.Names[0] ?? info.Id).replace(/^\//, '')]));
    const sequence = action === 'stop' || action === 'remove' ? ordered.reverse() : ordered;
    for (const id of sequence) {
      try {
        if (action === 'remove') await this.lifecycle.remove(id, { force: true });
        else await this.lifecycle[action](id);
      } catch (error) {
        failures.push({ id, name: names.get(id) ?? id, message: toEngineError(error, `${action} ${id}`).message });
      }
    }
    return failures;
  }

  private async names(ids: readonly string[]): Promise<Map<string, string>> {
    try {
      const infos = await this.docker.listContainers({ all: true, filters: { id: [...ids] } });
      const names = new Map<string, string>();
      for (const info of infos) {
        const name = (info.Names[0] ?? info.Id).replace(/^\//, '');
        for (const id of ids) if (info.Id.startsWith(id)) names.set(id, name);
      }
      return names;
    } catch {
      return new Map();
    }
  }
}
