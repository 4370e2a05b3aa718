/**
 * `docker run` as a stream: check the request, pull the image when it is not here (with progress),
 * create, start. A start that fails after the create leaves the container in place (as the CLI does)
 * and says so; the 'created' item before the failure gives the caller its id to offer removal.
 */
import type Dockerode from 'dockerode';
import { EngineError, toEngineError } from '../core/index.js';
import { formatReference } from './image-reference.js';
import { pullForPlatform } from './platform-pull.js';
import { formatPlatform, listPlatforms, parsePlatform, platformMatches, platformOf, type ImagePlatform } from './platform.js';
import type { RunProgress, RunRequest } from './image-types.js';
import type { EngineAuthConfig } from './registry-auth.js';
import { planRun, portInUse } from './run-request.js';
import { awaitForwards, type ForwardsReady } from '../ports/index.js';

const statusOf = (error: unknown) => (error as { statusCode?: number }).statusCode;

async function nameTaken(docker: Dockerode, name: string): Promise<boolean> {
  try {
    const info = await docker.getContainer(name).inspect();
    // The engine also finds a container by id prefix; only an exact name counts as taken.
    return info.Name === `/${name}`;
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw toEngineError(error, `check the container name ${name}`);
  }
}

type LocalImage = Dockerode.ImageInspectInfo & { Variant?: string };

async function localImage(docker: Dockerode, reference: string): Promise<LocalImage | null> {
  try {
    return await docker.getImage(reference).inspect();
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw toEngineError(error, `inspect image ${reference}`);
  }
}

/**
 * Whether the local image serves the platform asked for. One that does not is pulled for that platform
 * when it came from a registry (it has a repo digest), as `docker run --platform` does; an image built or
 * loaded here has nowhere to come from, so the run is refused with the platform it has.
 */
function needsPullFor(image: LocalImage, wanted: ImagePlatform, reference: string): boolean {
  const actual = platformOf({ os: image.Os, architecture: image.Architecture, variant: image.Variant });
  if (!actual || platformMatches(wanted, actual)) return false;
  if ((image.RepoDigests ?? []).length > 0) return true;
  throw new EngineError(
    'not-found',
    `The image ${reference} has no ${formatPlatform(wanted)} variant here: it is ${listPlatforms([actual])} only, and it was not pulled from a registry that could have others.`,
  );
}

function toCreateError(error: unknown, name: string | null): EngineError {
  const base = toEngineError(error, 'create the container');
  if (base.code === 'conflict' && /is already in use by container/i.test(base.message)) {
    return new EngineError('conflict', `The name ${name ?? ''} is already taken by another container.`);
  }
  const missing = /bind source path does not exist:\s*(\S+)/i.exec(base.message);
  if (missing) {
    return new EngineError(
      'invalid-argument',
      `The host path ${missing[1]} does not exist: a bind mount needs an existing file or folder.`,
    );
  }
  return base;
}

/** Names who holds a port the engine refused ("Port 8080 is already in use by container web."). */
export type DescribePortHolder = (port: number) => Promise<string>;

async function toStartError(error: unknown, name: string, describePort?: DescribePortHolder): Promise<EngineError> {
  const base = toEngineError(error, `start container ${name}`);
  const created = `The container ${name} was created but not started.`;
  const port = portInUse(base.message);
  if (port) {
    const taken = (await describePort?.(Number(port)).catch(() => null)) ?? `Port ${port} is already in use.`;
    return new EngineError('in-use', `${taken} ${created}`);
  }
  return new EngineError(
    base.code === 'unreachable' || base.code === 'disk-full' ? base.code : 'engine-error',
    `${base.message.replace(/\.$/, '')}. ${created}`,
  );
}

export interface RunHooks {
  describePort?: DescribePortHolder | undefined;
  /** Waited for after the start, so 'started' means the published ports answer on this computer. */
  forwardsReady?: ForwardsReady | undefined;
}

export async function* runImage(
  docker: Dockerode,
  request: RunRequest,
  authFor: (registry: string) => Promise<EngineAuthConfig>,
  signal: AbortSignal,
  { describePort, forwardsReady }: RunHooks = {},
): AsyncGenerator<RunProgress> {
  const plan = planRun(request);
  if (plan.name && (await nameTaken(docker, plan.name))) {
    throw new EngineError('conflict', `The name ${plan.name} is already taken by another container.`);
  }
  const wanted = request.platform ? parsePlatform(request.platform) : null;
  let image = plan.imageInput;
  const here = await localImage(docker, image);
  if (!here || (wanted && needsPullFor(here, wanted, image))) {
    // Not here by the name as typed: pull its full form (with :latest when no tag was given).
    image = formatReference(plan.image);
    if (plan.image.digest) image = image.replace(/:[^:/@]+@/, '@');
    const target = { reference: image, registry: plan.image.registry, auth: await authFor(plan.image.registry) };
    for await (const progress of pullForPlatform(docker, target, wanted, signal)) yield { kind: 'pulling', progress };
  }
  if (signal.aborted) return;

  let container: Dockerode.Container;
  try {
    // The platform query parameter (API 1.41) makes the engine check the image against it.
    container = await docker.createContainer({
      ...plan.options,
      Image: image,
      ...(wanted ? { platform: formatPlatform(wanted) } : {}),
    });
  } catch (error) {
    throw toCreateError(error, plan.name);
  }
  let name = plan.name;
  if (!name) {
    const info = await container.inspect().catch(() => null);
    name = info?.Name.replace(/^\//, '') ?? container.id.slice(0, 12);
  }
  yield { kind: 'created', containerId: container.id, name };
  try {
    await container.start();
  } catch (error) {
    throw await toStartError(error, name, describePort);
  }
  await awaitForwards(forwardsReady, container.id);
  yield { kind: 'started', containerId: container.id, name };
}
