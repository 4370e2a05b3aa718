/**
 * Pulls for one platform (`docker pull --platform`). When the engine refuses, the registry is asked
 * which platforms the reference has (GET /distribution/NAME/json: the manifest list's entries, or the
 * one image's platform), so the message names them instead of the engine's "no matching manifest".
 */
import type Dockerode from 'dockerode';
import { EngineError } from '../core/index.js';
import type { TransferProgress } from './image-types.js';
import { pullImage, type TransferTarget } from './image-transfer.js';
import { formatPlatform, listPlatforms, platformMatches, platformOf, type ImagePlatform } from './platform.js';

interface DistributionAnswer {
  Platforms?: { os?: string; architecture?: string; variant?: string }[] | null;
}

/** The platforms the registry has for a reference; null when the registry cannot say. */
export async function registryPlatforms(docker: Dockerode, target: TransferTarget): Promise<ImagePlatform[] | null> {
  try {
    const answer = (await docker.getImage(target.reference).distribution({ authconfig: target.auth })) as DistributionAnswer;
    const platforms = (answer.Platforms ?? []).map(platformOf).filter((platform) => platform !== null);
    return platforms.length > 0 ? platforms : null;
  } catch {
    return null;
  }
}

export async function* pullForPlatform(
  docker: Dockerode,
  target: TransferTarget,
  platform: ImagePlatform | null,
  signal: AbortSignal,
): AsyncGenerator<TransferProgress> {
  if (!platform) {
    yield* pullImage(docker, target, signal);
    return;
  }
  try {
    yield* pullImage(docker, target, signal, formatPlatform(platform));
  } catch (error) {
    if (error instanceof EngineError && (error.code === 'unauthorized' || error.code === 'unreachable')) throw error;
    const available = await registryPlatforms(docker, target);
    if (available && !available.some((one) => platformMatches(platform, one))) {
      throw new EngineError(
        'not-found',
        `${target.reference} has no ${formatPlatform(platform)} image: the registry has ${listPlatforms(available)}.`,
      );
    }
    throw error;
  }
}
