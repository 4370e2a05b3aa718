/**
 * Images: list, remove, tag, prune and detail here; pull and push (image-transfer.ts), build
 * (image-build.ts), run (image-run.ts) and registry logins (registry-auth.ts) beside it.
 */
import type Dockerode from 'dockerode';
import type { PruneResult } from '../disk/index.js';
import { MemoryCredentialStore, type CredentialStore } from './credential-store.js';
import type { EngineConnection } from '../core/index.js';
import { EngineError, toEngineError } from '../core/index.js';
import { buildImage } from './image-build.js';
import { readImageDetail } from './image-detail.js';
import { ImagePlatforms } from './image-platforms.js';
import { formatReference, parseImageReference } from './image-reference.js';
import { runImage, type DescribePortHolder } from './image-run.js';
import type { ForwardsReady } from '../ports/index.js';
import { pushImage } from './image-transfer.js';
import { pullForPlatform } from './platform-pull.js';
import { parsePlatform } from './platform.js';
import type { BuildProgress, BuildRequest, ImageDetail, RunProgress, RunRequest, TransferProgress } from './image-types.js';
import { RegistryAuth } from './registry-auth.js';
import type { ImageSummary } from '../core/index.js';

export function toImageSummary(info: Dockerode.ImageInfo, platform: string | null = null): ImageSummary {
  const repoTags = (info.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>');
  return {
    id: info.Id,
    repoTags,
    size: info.Size,
    created: info.Created,
    containers: info.Containers ?? -1,
    platform,
  };
}

/** The engine names the blocking container by id; find it in the message. */
export function blockingContainerId(message: string): string | null {
  return /container ([0-9a-f]{12,64})/i.exec(message)?.[1] ?? null;
}

export interface ImageServiceOptions {
  /** Where registry logins are kept; by default only in memory (tests). */
  credentials?: CredentialStore;
  /** Names who holds a host port a run was refused; without it the message says only that it is taken. */
  describePort?: DescribePortHolder;
  /** Berth's VM: resolves once a started container's ports are forwarded to this computer. */
  forwardsReady?: ForwardsReady;
}

export class ImageService {
  readonly registries: RegistryAuth;
  private readonly platforms = new ImagePlatforms();
  private readonly describePort: DescribePortHolder | undefined;
  private readonly forwardsReady: ForwardsReady | undefined;

  constructor(
    private readonly connection: EngineConnection,
    options: ImageServiceOptions = {},
  ) {
    this.describePort = options.describePort;
    this.forwardsReady = options.forwardsReady;
    this.registries = new RegistryAuth(() => this.docker, options.credentials ?? new MemoryCredentialStore());
  }

  private get docker(): Dockerode {
    this.connection.assertConnected();
    return this.connection.docker;
  }

  async list(): Promise<ImageSummary[]> {
    try {
      const infos = await this.docker.listImages({ all: false });
      const platforms = await this.platforms.of(
        this.docker,
        infos.map((info) => info.Id),
      );
      return infos.map((info) => toImageSummary(info, platforms.get(info.Id) ?? null));
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

  /**
   * Pulls a reference (":latest" when no tag is named), with the saved login for its registry; for one
   * platform ("linux/arm64") when given, else the engine's own.
   */
  async *pull(reference: string, signal: AbortSignal, platform?: string): AsyncGenerator<TransferProgress> {
    const wanted = platform ? parsePlatform(platform) : null;
    const parsed = parseImageReference(reference);
    const full = parsed.digest ? formatReference({ ...parsed, tag: null }) : formatReference(parsed);
    const auth = await this.registries.authFor(parsed.registry);
    yield* pullForPlatform(this.docker, { reference: full, registry: parsed.registry, auth }, wanted, signal);
  }

  async *push(reference: string, signal: AbortSignal): AsyncGenerator<TransferProgress> {
    const parsed = parseImageReference(reference);
    if (parsed.digest) throw new EngineError('invalid-argument', 'Push a tag, not a digest.');
    const full = formatReference(parsed);
    const auth = await this.registries.authFor(parsed.registry);
    yield* pushImage(this.docker, { reference: full, registry: parsed.registry, auth }, signal);
  }

  /** Gives an image (by id or reference) another name, as `docker tag` does. */
  async tag(source: string, target: string): Promise<void> {
    const parsed = parseImageReference(target);
    if (parsed.digest) throw new EngineError('invalid-argument', `A tag cannot have a digest: "${target}".`);
    const full = formatReference(parsed);
    const repo = full.slice(0, full.lastIndexOf(':'));
    try {
      await this.docker.getImage(source).tag({ repo, tag: parsed.tag ?? 'latest' });
    } catch (error) {
      const engineError = toEngineError(error, `tag image ${source} as ${full}`);
      if (engineError.code === 'not-found') throw new EngineError('not-found', `There is no image ${source} to tag.`);
      throw engineError;
    }
  }

  detail(reference: string): Promise<ImageDetail> {
    return readImageDetail(this.docker, reference);
  }

  /** Removes dangling images (untagged and unused), as `docker image prune` does. */
  async prune(): Promise<PruneResult> {
    try {
      const result = await this.docker.pruneImages({ filters: { dangling: ['true'] } });
      return {
        kind: 'images',
        removed: (result.ImagesDeleted ?? []).filter((item) => item.Deleted).length,
        spaceReclaimed: result.SpaceReclaimed ?? 0,
      };
    } catch (error) {
      throw toEngineError(error, 'prune dangling images');
    }
  }

  build(request: BuildRequest, signal: AbortSignal): AsyncGenerator<BuildProgress> {
    return buildImage(this.docker, request, signal);
  }

  run(request: RunRequest, signal: AbortSignal): AsyncGenerator<RunProgress> {
    return runImage(this.docker, request, (registry) => this.registries.authFor(registry), signal, {
      describePort: this.describePort,
      forwardsReady: this.forwardsReady,
    });
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
