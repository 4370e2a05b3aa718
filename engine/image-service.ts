/** Images: list and remove. */
import type Dockerode from 'dockerode';
import type { EngineConnection } from './engine-connection.js';
import { EngineError, toEngineError } from './errors.js';
import type { ImageSummary } from './types.js';

export function toImageSummary(info: Dockerode.ImageInfo): ImageSummary {
  const repoTags = (info.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>');
  return {
    id: info.Id,
    repoTags,
    size: info.Size,
    created: info.Created,
    containers: info.Containers ?? -1,
  };
}

/** The engine names the blocking container by id; find it in the message. */
export function blockingContainerId(message: string): string | null {
  return /container ([0-9a-f]{12,64})/i.exec(message)?.[1] ?? null;
}

export class ImageService {
  constructor(private readonly connection: EngineConnection) {}

  private get docker(): Dockerode {
    this.connection.assertConnected();
    return this.connection.docker;
  }

  async list(): Promise<ImageSummary[]> {
    try {
      const infos = await this.docker.listImages({ all: false });
      return infos.map(toImageSummary);
    } catch (error) {
      throw toEngineError(error, 'list images');
    }
  }

  /** Removes a reference (repo:tag, untagging it) or an image id. */
  async remove(reference: string): Promise<void> {
    try {
      await this.docker.getImage(reference).remove({ force: false });
    } catch (error) {
      const engineError = toEngineError(error, `remove image ${reference}`);
      if (engineError.code !== 'conflict') throw engineError;
      const containerId = blockingContainerId(engineError.message);
      const user = containerId ? await this.containerName(containerId) : null;
      throw new EngineError(
        'in-use',
        user
          ? `Image ${reference} is used by container ${user}. Remove that container first.`
          : `Image ${reference} is in use: ${engineError.message}`,
      );
    }
  }

  private async containerName(id: string): Promise<string> {
    try {
      const [info] = await this.docker.listContainers({ all: true, filters: { id: [id] } });
      return info?.Names[0]?.replace(/^\//, '') ?? id.slice(0, 12);
    } catch {
      return id.slice(0, 12);
    }
  }
}
