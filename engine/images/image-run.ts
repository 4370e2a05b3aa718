/**
 * `docker run` as a stream: check the request, pull the image when it is not here (with progress),
 * create, start. A start that fails after the create leaves the container in place (as the CLI does)
 * and says so; the 'created' item before the failure gives the caller its id to offer removal.
 */
import type Dockerode from 'dockerode';
import { EngineError, toEngineError } from '../core/index.js';
import { formatReference } from './image-reference.js';
import { pullImage } from './image-transfer.js';
import type { RunProgress, RunRequest } from './image-types.js';
import type { EngineAuthConfig } from './registry-auth.js';
import { planRun, portInUse } from './run-request.js';

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

async function imageIsHere(docker: Dockerode, reference: string): Promise<boolean> {
  try {
    await docker.getImage(reference).inspect();
    return true;
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw toEngineError(error, `inspect image ${reference}`);
  }
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
    base.code === 'unreachable' ? 'unreachable' : 'engine-error',
    `${base.message.replace(/\.$/, '')}. ${created}`,
  );
}

export async function* runImage(
  docker: Dockerode,
  request: RunRequest,
  authFor: (registry: string) => Promise<EngineAuthConfig>,
  signal: AbortSignal,
  describePort?: DescribePortHolder,
): AsyncGenerator<RunProgress> {
  const plan = planRun(request);
  if (plan.name && (await nameTaken(docker, plan.name))) {
    throw new EngineError('conflict', `The name ${plan.name} is already taken by another container.`);
  }
  let image = plan.imageInput;
  if (!(await imageIsHere(docker, image))) {
    // Not here by the name as typed: pull its full form (with :latest when no tag was given).
    image = formatReference(plan.image);
    if (plan.image.digest) image = image.replace(/:[^:/@]+@/, '@');
    const target = { reference: image, registry: plan.image.registry, auth: await authFor(plan.image.registry) };
    for await (const progress of pullImage(docker, target, signal)) yield { kind: 'pulling', progress };
  }
  if (signal.aborted) return;

  let container: Dockerode.Container;
  try {
    container = await docker.createContainer({ ...plan.options, Image: image });
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
  yield { kind: 'started', containerId: container.id, name };
}
