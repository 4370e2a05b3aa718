/**
 * Pull and push as streams of progress snapshots. The engine's progress stream is read as fast as it
 * comes (pausing it would pause the transfer itself), and a slow consumer gets the latest snapshot
 * rather than a backlog. Stopping the iteration (or aborting the signal) ends the HTTP request; the
 * engine then cancels the transfer and drops what it had half-downloaded, so no image is left behind.
 */
import type Dockerode from 'dockerode';
import type { Readable } from 'node:stream';
import { createAsyncQueue } from '../../base/index.js';
import { engineStoppedError, isEngineCutOff, type EngineError } from '../core/index.js';
import type { TransferProgress } from './image-types.js';
import type { EngineAuthConfig } from './registry-auth.js';
import { toRegistryError } from './registry-errors.js';
import { readProgressMessages, TransferProgressTracker, type TransferKind } from './transfer-progress.js';

export interface TransferTarget {
  /** The full reference, tag included ("127.0.0.1:5000/app:1"). */
  reference: string;
  registry: string;
  auth: EngineAuthConfig;
}

/** dockerode takes these options on pull and push; its published types predate abortSignal. */
interface TransferCallOptions {
  authconfig: EngineAuthConfig;
  abortSignal: AbortSignal;
  /** Pull only: "os/arch[/variant]" (engine API 1.32+; the query parameter of /images/create). */
  platform?: string;
}

async function* transfer(
  kind: TransferKind,
  target: TransferTarget,
  open: (abortSignal: AbortSignal) => Promise<Readable>,
  signal: AbortSignal,
): AsyncGenerator<TransferProgress> {
  const tracker = new TransferProgressTracker(kind, target.reference);
  const request = new AbortController();
  const stop = () => request.abort();
  signal.addEventListener('abort', stop);
  const snapshots = createAsyncQueue<TransferProgress>(1, 'keep-latest', request.signal);
  let failure: EngineError | undefined;

  const pump = (async () => {
    try {
      const stream = await open(request.signal);
      request.signal.addEventListener('abort', () => stream.destroy());
      if (request.signal.aborted) stream.destroy();
      for await (const message of readProgressMessages(stream)) {
        tracker.apply(message);
        snapshots.push(tracker.snapshot());
      }
      if (request.signal.aborted) return;
      tracker.finish();
      snapshots.push(tracker.snapshot());
    } catch (error) {
      if (request.signal.aborted) return;
      // Cut off mid-way: the engine stopped (a crash, a restart), not the registry.
      failure = isEngineCutOff(error)
        ? engineStoppedError(`during the ${kind} of ${target.reference}`, `${kind} again`)
        : toRegistryError(error, kind, target.registry, target.reference);
    } finally {
      snapshots.end();
    }
  })();

  try {
    for await (const snapshot of snapshots) yield snapshot;
    await pump;
    if (failure) throw failure;
  } finally {
    // Reached early when the consumer stops: end the request so the engine cancels the transfer.
    signal.removeEventListener('abort', stop);
    request.abort();
    await pump;
  }
}

export function pullImage(
  docker: Dockerode,
  target: TransferTarget,
  signal: AbortSignal,
  platform?: string,
): AsyncGenerator<TransferProgress> {
  const options = (abortSignal: AbortSignal): TransferCallOptions =>
    platform ? { authconfig: target.auth, abortSignal, platform } : { authconfig: target.auth, abortSignal };
  return transfer(
    'pull',
    target,
    (abortSignal) => docker.pull(target.reference, options(abortSignal)) as Promise<Readable>,
    signal,
  );
}

export function pushImage(docker: Dockerode, target: TransferTarget, signal: AbortSignal): AsyncGenerator<TransferProgress> {
  return transfer(
    'push',
    target,
    (abortSignal) =>
      docker
        .getImage(target.reference)
        .push({ authconfig: target.auth, abortSignal } satisfies TransferCallOptions) as Promise<Readable>,
    signal,
  );
}
