/**
 * Disk usage (`GET /system/df`) and pruning per kind. The engine computes sizes by walking layers and
 * volumes, which can take a long time on a big host, so this runs only when a person asks for it (the
 * disk usage page, a volume's detail), never behind a list.
 *
 * The figures follow the docker CLI's `system df`, so Berth and the CLI agree: "reclaimable" is what
 * the matching prune frees, and each prune removes everything unused of its kind (as `docker image
 * prune -a`, `docker volume prune -a`, `docker builder prune -a`), because that is what the figure counts.
 */
import type Dockerode from 'dockerode';
import type { DiskUsage, DiskUsageEntry, DiskUsageKind, PruneResult } from './disk-usage-types.js';
import type { EngineConnection } from '../core/index.js';
import { EngineError, toEngineError } from '../core/index.js';
import type { VolumeUsage } from '../volumes/index.js';

/** The parts of the engine's /system/df answer used here; older engines omit some. */
export interface RawDiskUsage {
  LayersSize?: number;
  Images?: Array<{ Containers?: number; Size?: number; SharedSize?: number }> | null;
  Containers?: Array<{ State?: string; SizeRw?: number }> | null;
  Volumes?: Array<{ Name: string; UsageData?: { Size?: number; RefCount?: number } | null }> | null;
  BuildCache?: Array<{ Size?: number; InUse?: boolean; Shared?: boolean }> | null;
}

const ACTIVE_CONTAINER_STATES = /running|paused|restarting/;
const known = (value: number | undefined): value is number => value !== undefined && value >= 0;

function images(raw: RawDiskUsage): DiskUsageEntry {
  const list = raw.Images ?? [];
  const size = raw.LayersSize ?? 0;
  // As the CLI: what used images take exclusively is kept; everything else could go.
  let used = 0;
  for (const image of list) {
    if ((image.Containers ?? 0) > 0 && known(image.Size) && known(image.SharedSize)) used += image.Size - image.SharedSize;
  }
  return {
    kind: 'images',
    count: list.length,
    active: list.filter((image) => (image.Containers ?? 0) > 0).length,
    size,
    reclaimable: Math.max(0, size - used),
  };
}

function containers(raw: RawDiskUsage): DiskUsageEntry {
  const list = raw.Containers ?? [];
  let size = 0;
  let reclaimable = 0;
  let active = 0;
  for (const container of list) {
    const bytes = known(container.SizeRw) ? container.SizeRw : 0;
    size += bytes;
    if (ACTIVE_CONTAINER_STATES.test(container.State ?? '')) active += 1;
    else reclaimable += bytes;
  }
  return { kind: 'containers', count: list.length, active, size, reclaimable };
}

function volumes(raw: RawDiskUsage): DiskUsageEntry {
  const list = raw.Volumes ?? [];
  let size = 0;
  let reclaimable = 0;
  let active = 0;
  for (const volume of list) {
    const bytes = volume.UsageData?.Size;
    const inUse = (volume.UsageData?.RefCount ?? 0) > 0;
    if (inUse) active += 1;
    if (!known(bytes)) continue;
    size += bytes;
    if (!inUse) reclaimable += bytes;
  }
  return { kind: 'volumes', count: list.length, active, size, reclaimable };
}

function buildCache(raw: RawDiskUsage): DiskUsageEntry {
  const list = raw.BuildCache ?? [];
  let size = 0;
  let reclaimable = 0;
  for (const record of list) {
    if (record.Shared || !known(record.Size)) continue;
    size += record.Size;
    if (!record.InUse) reclaimable += record.Size;
  }
  return { kind: 'build-cache', count: list.length, active: list.filter((record) => record.InUse).length, size, reclaimable };
}

export function summarizeDiskUsage(raw: RawDiskUsage, computedAt: Date): DiskUsage {
  return { entries: [images(raw), containers(raw), volumes(raw), buildCache(raw)], computedAt: computedAt.toISOString() };
}

/** "1.41" < "1.42": the engine's API versions, compared numerically. */
export function apiVersionAtLeast(version: string, wanted: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const [wantedMajor = 0, wantedMinor = 0] = wanted.split('.').map(Number);
  return major > wantedMajor || (major === wantedMajor && minor >= wantedMinor);
}

/**
 * From API 1.42 the engine prunes only anonymous volumes unless told `all`; before, it prunes all unused
 * volumes and refuses the filter. Either way: every unused volume, as "reclaimable" counts them.
 */
export function volumePruneOptions(apiVersion: string): { filters?: { all: ['true'] } } {
  return apiVersionAtLeast(apiVersion, '1.42') ? { filters: { all: ['true'] } } : {};
}

interface RawPruneAnswer {
  SpaceReclaimed?: number;
  ContainersDeleted?: string[] | null;
  VolumesDeleted?: string[] | null;
  CachesDeleted?: string[] | null;
  ImagesDeleted?: Array<{ Deleted?: string; Untagged?: string }> | null;
}

export function toPruneResult(kind: DiskUsageKind, answer: RawPruneAnswer): PruneResult {
  const removed =
    kind === 'images'
      ? (answer.ImagesDeleted ?? []).filter((entry) => entry.Deleted).length
      : (
          (kind === 'containers'
            ? answer.ContainersDeleted
            : kind === 'volumes'
              ? answer.VolumesDeleted
              : answer.CachesDeleted) ?? []
        ).length;
  return { kind, removed, spaceReclaimed: answer.SpaceReclaimed ?? 0 };
}

/** A JSON request dockerode has no method (or no options) for. */
function dialJson<T>(docker: Dockerode, options: Parameters<Dockerode['modem']['dial']>[0]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    docker.modem.dial(options, (error, data) => (error ? reject(error) : resolve((data ?? {}) as T)));
  });
}

export class DiskUsageService {
  constructor(private readonly connection: EngineConnection) {}

  private get docker(): Dockerode {
    this.connection.assertConnected();
    return this.connection.docker;
  }

  /** The engine's API version, for options older engines refuse. */
  private get apiVersion(): string {
    const state = this.connection.state;
    return state.kind === 'connected' ? state.info.apiVersion : '0.0';
  }

  /** GET /system/df, optionally only some kinds (API 1.42+; older engines ignore it and compute all). */
  private async rawUsage(types?: Array<'image' | 'container' | 'volume' | 'build-cache'>): Promise<RawDiskUsage> {
    return dialJson<RawDiskUsage>(this.docker, {
      path: '/system/df?',
      method: 'GET',
      options: types ? { type: types } : {},
      statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
    });
  }

  async diskUsage(): Promise<DiskUsage> {
    try {
      return summarizeDiskUsage(await this.rawUsage(), new Date());
    } catch (error) {
      throw toEngineError(error, 'compute disk usage');
    }
  }

  /** One volume's size and reference count, computed now. */
  async volumeUsage(name: string): Promise<VolumeUsage> {
    let raw: RawDiskUsage;
    try {
      raw = await this.rawUsage(['volume']);
    } catch (error) {
      throw toEngineError(error, `compute the size of volume ${name}`);
    }
    const volume = (raw.Volumes ?? []).find((candidate) => candidate.Name === name);
    if (!volume) throw new EngineError('not-found', `There is no volume ${name}.`);
    const size = volume.UsageData?.Size;
    const refCount = volume.UsageData?.RefCount;
    return { size: known(size) ? size : null, refCount: known(refCount) ? refCount : null };
  }

  /** Removes everything unused of one kind and says how much space that freed. */
  async prune(kind: DiskUsageKind): Promise<PruneResult> {
    const docker = this.docker;
    try {
      switch (kind) {
        case 'containers':
          return toPruneResult(kind, await docker.pruneContainers());
        case 'images': {
          // The answer lists deleted layers and images alike, so count images as the list before and after.
          const before = (await docker.listImages()).length;
          // dangling=false: every image no container uses, not only untagged ones (what "reclaimable" counts).
          const answer = (await docker.pruneImages({ filters: { dangling: ['false'] } })) as RawPruneAnswer;
          const after = (await docker.listImages()).length;
          return { ...toPruneResult(kind, answer), removed: Math.max(0, before - after) };
        }
        case 'volumes':
          return toPruneResult(kind, await docker.pruneVolumes(volumePruneOptions(this.apiVersion)));
        case 'build-cache':
          return toPruneResult(kind, await this.pruneBuildCache(docker));
      }
    } catch (error) {
      throw toEngineError(error, `prune ${kind === 'build-cache' ? 'the build cache' : kind}`);
    }
  }

  /** dockerode's pruneBuilder sends no options; `all` is what makes it free every unused record. */
  private pruneBuildCache(docker: Dockerode): Promise<RawPruneAnswer> {
    return dialJson<RawPruneAnswer>(docker, {
      path: '/build/prune?',
      method: 'POST',
      options: { all: true },
      statusCodes: { 200: true, 500: 'server error' },
    });
  }
}
