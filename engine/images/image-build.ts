/**
 * Builds an image from a context folder on this machine (as the docker CLI does: the folder is read
 * here, tarred, minus what .dockerignore excludes, and sent to the engine, which may be remote). The
 * engine's classic builder is used: its log says "Using cache" for steps it did not redo.
 */
import type Dockerode from 'dockerode';
import { lstat, readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { EngineError, engineStoppedError, isDiskFullError, isEngineCutOff, toEngineError } from '../core/index.js';
import { formatReference, parseImageReference } from './image-reference.js';
import type { BuildProgress, BuildRequest } from './image-types.js';
import { readProgressMessages } from './transfer-progress.js';

/** The context's files (and empty folders) relative to it, for the tar the engine receives. */
export async function listContext(root: string): Promise<string[]> {
  const entries: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const children = await readdir(join(root, dir), { withFileTypes: true });
    if (children.length === 0 && dir !== '') entries.push(dir);
    for (const child of children) {
      const path = dir === '' ? child.name : `${dir}/${child.name}`;
      if (child.isDirectory()) await walk(path);
      else entries.push(path);
    }
  };
  await walk('');
  return entries;
}

/** Checks the request against the file system here and returns what the engine needs. */
export async function resolveBuildRequest(
  request: BuildRequest,
): Promise<{ context: string; dockerfile: string; tag: string | null }> {
  const contextInput = request.contextPath.trim();
  if (!isAbsolute(contextInput))
    throw new EngineError('invalid-argument', `The context folder must be an absolute path: "${contextInput}".`);
  const context = resolve(contextInput);
  const contextStat = await stat(context).catch(() => null);
  if (!contextStat) throw new EngineError('invalid-argument', `The context folder ${context} does not exist.`);
  if (!contextStat.isDirectory()) throw new EngineError('invalid-argument', `The context ${context} is not a folder.`);
  const dockerfileInput = request.dockerfile?.trim() || 'Dockerfile';
  const dockerfilePath = resolve(context, dockerfileInput);
  const inside = relative(context, dockerfilePath);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new EngineError('invalid-argument', `The Dockerfile ${dockerfilePath} must be inside the context folder ${context}.`);
  }
  const dockerfileStat = await lstat(dockerfilePath).catch(() => null);
  if (!dockerfileStat?.isFile()) throw new EngineError('invalid-argument', `There is no Dockerfile at ${dockerfilePath}.`);
  const tagInput = request.tag?.trim();
  const tag = tagInput ? formatReference(parseImageReference(tagInput)) : null;
  return { context, dockerfile: inside.split(sep).join('/'), tag };
}

/** "dockerfile parse error line 2: unknown instruction: FORM" and friends, for a person. */
function toBuildError(error: unknown, step: string | null): EngineError {
  const base = toEngineError(error, 'build the image');
  const parse = /dockerfile parse error (.*)$/i.exec(base.message);
  if (parse) return new EngineError('invalid-argument', `Dockerfile syntax error: ${parse[1]}`);
  if (/Cannot locate specified Dockerfile/i.test(base.message)) return new EngineError('invalid-argument', base.message);
  // A full disk keeps its code wherever the engine said it (the context upload, a step's output).
  const code = isDiskFullError(base) ? 'disk-full' : 'engine-error';
  if (step && base.code !== 'unreachable') return new EngineError(code, `The build failed at ${step}: ${base.message}`);
  if (code === 'disk-full') return new EngineError(code, base.message);
  return base;
}

export async function* buildImage(docker: Dockerode, request: BuildRequest, signal: AbortSignal): AsyncGenerator<BuildProgress> {
  const { context, dockerfile, tag } = await resolveBuildRequest(request);
  const files = await listContext(context);
  let step: string | null = null;
  let imageId: string | null = null;
  let stream: Readable;
  try {
    stream = (await docker.buildImage({ context, src: files }, {
      dockerfile,
      ...(tag ? { t: tag } : {}),
      nocache: request.noCache ?? false,
      // Remove the intermediate container of a failed step too: nothing half-made is left.
      forcerm: true,
      abortSignal: signal,
    } as Dockerode.ImageBuildOptions)) as Readable;
  } catch (error) {
    throw toBuildError(error, null);
  }
  const onAbort = () => stream.destroy();
  signal.addEventListener('abort', onAbort);
  try {
    for await (const message of readProgressMessages(stream)) {
      if (message.errorDetail?.message !== undefined || message.error !== undefined) {
        throw toBuildError(new EngineError('engine-error', (message.errorDetail?.message ?? message.error ?? '').trim()), step);
      }
      const aux = message.aux as { ID?: string } | undefined;
      if (aux?.ID) imageId = aux.ID;
      const text = message.stream ?? (message.status ? `${message.id ? `${message.id}: ` : ''}${message.status}\n` : null);
      if (!text) continue;
      const stepLine = /^Step \d+\/\d+ : .*/m.exec(text);
      if (stepLine) step = stepLine[0].replace(/^Step (\d+\/\d+) : /, 'step $1 (') + ')';
      const built = /Successfully built ([0-9a-f]+)/.exec(text);
      if (built && !imageId) imageId = built[1]!;
      yield { kind: 'log', text };
    }
  } catch (error) {
    if (signal.aborted) return;
    if (isEngineCutOff(error)) {
      throw engineStoppedError(`during the build of ${tag ?? context}${step ? `, at ${step}` : ''}`, 'build again');
    }
    throw error instanceof EngineError ? error : toBuildError(error, step);
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (!stream.readableEnded) stream.destroy(); // stopped early: end the request, which ends the build
  }
  if (signal.aborted) return;
  if (!imageId) throw new EngineError('engine-error', 'The engine ended the build without naming the image it built.');
  yield { kind: 'done', imageId, tags: tag ? [tag] : [] };
}
