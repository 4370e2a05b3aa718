/**
 * Each image's platform for the image list. The list answer (/images/json) has no platform, so it comes
 * from image inspect, once per image id: an id is the digest of the image's configuration, which holds
 * the platform, so it never changes and the answer is kept for as long as the image is listed.
 */
import type Dockerode from 'dockerode';
import { formatPlatform, platformOf } from './platform.js';

/** Inspects at a time on a list's first load (a host with hundreds of images). */
const CONCURRENT_INSPECTS = 4;

export class ImagePlatforms {
  private readonly known = new Map<string, string | null>();

  /** The platform text ("linux/arm64") of each id; null for an image that went while it was read. */
  async of(docker: Dockerode, ids: readonly string[]): Promise<Map<string, string | null>> {
    const missing = ids.filter((id) => !this.known.has(id));
    let next = 0;
    const worker = async () => {
      while (next < missing.length) {
        const id = missing[next++] as string;
        this.known.set(id, await readPlatform(docker, id));
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_INSPECTS, missing.length) }, worker));
    const listed = new Set(ids);
    for (const id of this.known.keys()) if (!listed.has(id)) this.known.delete(id);
    return new Map(ids.map((id) => [id, this.known.get(id) ?? null]));
  }
}

async function readPlatform(docker: Dockerode, id: string): Promise<string | null> {
  try {
    const info = (await docker.getImage(id).inspect()) as Dockerode.ImageInspectInfo & { Variant?: string };
    const platform = platformOf({ os: info.Os, architecture: info.Architecture, variant: info.Variant });
    return platform ? formatPlatform(platform) : null;
  } catch {
    // Removed between the list and the inspect: the next list will not have it.
    return null;
  }
}
