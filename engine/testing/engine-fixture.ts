/** Shared set-up for integration tests: a connected EngineConnection to the private dockerd, and cleanup. */
import { expect } from 'vitest';
import { EngineConnection } from '../core/index.js';
import { EngineError } from '../core/index.js';
import { dockerCli } from './test-images.js';
import { waitFor } from './wait-for.js';

export async function connectTestEngine(socketPath: string): Promise<EngineConnection> {
  const connection = new EngineConnection({ kind: 'unix', socketPath });
  connection.start();
  await waitFor('the engine connection to be connected', () => {
    const state = connection.state;
    if (state.kind === 'unreachable') throw new Error(state.reason);
    return state.kind === 'connected';
  });
  return connection;
}

/** Removes containers by name or id, running or not; missing ones are fine (the test may have removed them). */
export async function removeContainers(dockerHost: string, names: string[]): Promise<void> {
  for (const name of names) await dockerCli(dockerHost, ['rm', '-f', '-v', name]).catch(() => undefined);
}

export async function removeVolumes(dockerHost: string, names: string[]): Promise<void> {
  for (const name of names) await dockerCli(dockerHost, ['volume', 'rm', '-f', name]).catch(() => undefined);
}

export async function removeImages(dockerHost: string, references: string[]): Promise<void> {
  for (const reference of references) await dockerCli(dockerHost, ['rmi', reference]).catch(() => undefined);
}

/** `docker inspect -f {{.State.Running}}`, the CLI's own view of whether a container runs. */
export async function isRunningPerCli(dockerHost: string, name: string): Promise<boolean> {
  return (await dockerCli(dockerHost, ['inspect', '-f', '{{.State.Running}}', name])) === 'true';
}

/** Awaits a call that must fail with an EngineError, and returns that error for the test to examine. */
export async function engineError(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}
