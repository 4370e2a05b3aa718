/** Volumes: list, create, remove, and the detail's containers. Sizes and files: disk-usage-service, volume-browser. */
import type Dockerode from 'dockerode';
import type { EngineConnection } from '../core/index.js';
import { EngineError, toEngineError } from '../core/index.js';
import type { VolumeSummary } from '../core/index.js';
import type { VolumeUser } from './volume-detail-types.js';

/** Marks the volume browser's short-lived helpers, which are not users a person made. */
export const VOLUME_BROWSER_LABEL = 'dev.berth.volume-browser';

/** The engine's own rule for volume names (daemon/names.go: RestrictedNamePattern). */
export const VOLUME_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function volumeNameProblem(name: string): string | null {
  if (name.length < 2) return 'A volume name needs at least 2 characters.';
  if (name.length > 255) return 'A volume name can have at most 255 characters.';
  if (!VOLUME_NAME_PATTERN.test(name)) {
    return 'A volume name starts with a letter or digit and contains only letters, digits, "_", "." and "-".';
  }
  return null;
}

interface VolumeInfo {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt?: string;
  Labels?: Record<string, string> | null;
}

export function toVolumeSummary(info: VolumeInfo): VolumeSummary {
  return {
    name: info.Name,
    driver: info.Driver,
    mountpoint: info.Mountpoint,
    createdAt: info.CreatedAt ?? null,
    labels: info.Labels ?? {},
  };
}

export class VolumeService {
  constructor(private readonly connection: EngineConnection) {}

  private get docker(): Dockerode {
    this.connection.assertConnected();
    return this.connection.docker;
  }

  async list(): Promise<VolumeSummary[]> {
    try {
      const result = await this.docker.listVolumes();
      return (result.Volumes ?? []).map((volume) => toVolumeSummary(volume as VolumeInfo));
    } catch (error) {
      throw toEngineError(error, 'list volumes');
    }
  }

  /** The engine silently returns an existing volume on a duplicate name; a person expects to be told. */
  async create(name: string): Promise<VolumeSummary> {
    const problem = volumeNameProblem(name);
    if (problem) throw new EngineError('invalid-argument', problem);
    const docker = this.docker;
    try {
      await docker.getVolume(name).inspect();
      throw new EngineError('conflict', `A volume named ${name} already exists.`);
    } catch (error) {
      if (error instanceof EngineError) throw error;
      if ((error as { statusCode?: number }).statusCode !== 404) throw toEngineError(error, `create volume ${name}`);
    }
    try {
      // dockerode resolves createVolume with a Volume handle, not the engine's answer: ask for the details.
      const created = await docker.createVolume({ Name: name });
      return toVolumeSummary(await created.inspect());
    } catch (error) {
      throw toEngineError(error, `create volume ${name}`);
    }
  }

  async remove(name: string): Promise<void> {
    try {
      await this.docker.getVolume(name).remove();
    } catch (error) {
      const engineError = toEngineError(error, `remove volume ${name}`);
      if (engineError.code !== 'conflict') throw engineError;
      const users = await this.containerNamesUsing(name);
      throw new EngineError(
        'in-use',
        users.length > 0
          ? `Volume ${name} is in use by ${users.join(', ')}. Remove ${users.length === 1 ? 'that container' : 'those containers'} first.`
          : `Volume ${name} is in use: ${engineError.message}`,
      );
    }
  }

  /** The volume as the list shows it; not-found, naming it, when there is no such volume. */
  async inspect(name: string): Promise<VolumeSummary> {
    try {
      return toVolumeSummary(await this.docker.getVolume(name).inspect());
    } catch (error) {
      const engineError = toEngineError(error, `inspect volume ${name}`);
      if (engineError.code === 'not-found') throw new EngineError('not-found', `There is no volume ${name}.`);
      throw engineError;
    }
  }

  /** Every container (running or not) that mounts the volume, and where. */
  async users(name: string): Promise<VolumeUser[]> {
    try {
      const infos = await this.docker.listContainers({ all: true, filters: { volume: [name] } });
      return infos
        .filter((info) => !(VOLUME_BROWSER_LABEL in (info.Labels ?? {})))
        .flatMap((info) =>
          (info.Mounts ?? [])
            .filter((mount) => mount.Type === 'volume' && mount.Name === name)
            .map((mount) => ({
              id: info.Id,
              name: (info.Names[0] ?? info.Id.slice(0, 12)).replace(/^\//, ''),
              state: info.State,
              destination: mount.Destination,
              readOnly: !mount.RW,
            })),
        )
        .sort((a, b) => a.name.localeCompare(b.name));
    } catch (error) {
      throw toEngineError(error, `list the containers using volume ${name}`);
    }
  }

  private async containerNamesUsing(volume: string): Promise<string[]> {
    try {
      const infos = await this.docker.listContainers({ all: true, filters: { volume: [volume] } });
      return infos.map((info) => (info.Names[0] ?? info.Id.slice(0, 12)).replace(/^\//, ''));
    } catch {
      return [];
    }
  }
}
