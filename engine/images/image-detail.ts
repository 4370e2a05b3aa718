/** One image in full: the engine's inspect answer, its layers' history, and the containers made from it. */
import type Dockerode from 'dockerode';
import { toEngineError } from '../core/index.js';
import type { ImageDetail, ImageHistoryEntry, ImageUser } from './image-types.js';

interface RawHistoryEntry {
  Id?: string;
  Created?: number;
  CreatedBy?: string;
  Size?: number;
  Tags?: string[] | null;
  Comment?: string;
}

export function toHistoryEntry(raw: RawHistoryEntry): ImageHistoryEntry {
  return {
    id: raw.Id && raw.Id !== '<missing>' ? raw.Id : null,
    created: raw.Created ?? 0,
    createdBy: raw.CreatedBy ?? '',
    size: raw.Size ?? 0,
    tags: (raw.Tags ?? []).filter((tag) => tag !== '<none>:<none>'),
    comment: raw.Comment ?? '',
  };
}

export async function readImageDetail(docker: Dockerode, reference: string): Promise<ImageDetail> {
  const image = docker.getImage(reference);
  let inspect: Dockerode.ImageInspectInfo;
  try {
    inspect = await image.inspect();
  } catch (error) {
    const engineError = toEngineError(error, `inspect image ${reference}`);
    if (engineError.code === 'not-found') engineError.message = `There is no image ${reference}.`;
    throw engineError;
  }
  try {
    const [history, users] = await Promise.all([
      image.history() as Promise<RawHistoryEntry[]>,
      // "ancestor" also matches containers of images built on this one: keep exact matches only.
      docker.listContainers({ all: true, filters: { ancestor: [inspect.Id] } }),
    ]);
    const containers: ImageUser[] = users
      .filter((user) => user.ImageID === inspect.Id)
      .map((user) => ({ id: user.Id, name: (user.Names[0] ?? user.Id.slice(0, 12)).replace(/^\//, ''), state: user.State }));
    return {
      id: inspect.Id,
      repoTags: (inspect.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>'),
      repoDigests: inspect.RepoDigests ?? [],
      created: inspect.Created,
      size: inspect.Size,
      architecture: inspect.Architecture,
      os: inspect.Os,
      inspect: inspect as unknown as Record<string, unknown>,
      history: history.map(toHistoryEntry),
      containers,
    };
  } catch (error) {
    throw toEngineError(error, `read the history of image ${reference}`);
  }
}
