/**
 * A BerthImplementation for tests of the API plumbing (session, client, transports): every member
 * fails loudly unless the test supplies it, so a test states exactly what the "engine" does.
 */
import type { BerthImplementation } from '../berth-api.js';

export type FakeImplementationParts = { [N in keyof BerthImplementation]?: Partial<BerthImplementation[N]> };

function notFaked(name: string) {
  return () => {
    throw new Error(`${name} is not faked in this test`);
  };
}

export function createFakeImplementation(parts: FakeImplementationParts = {}): BerthImplementation {
  const fail = (name: string) => notFaked(name) as never;
  return {
    containers: {
      list: fail('containers.list'),
      listByIds: fail('containers.listByIds'),
      start: fail('containers.start'),
      stop: fail('containers.stop'),
      restart: fail('containers.restart'),
      remove: fail('containers.remove'),
      ...parts.containers,
    },
    images: { list: fail('images.list'), remove: fail('images.remove'), ...parts.images },
    volumes: { list: fail('volumes.list'), create: fail('volumes.create'), remove: fail('volumes.remove'), ...parts.volumes },
    engine: { state: fail('engine.state'), events: fail('engine.events'), ...parts.engine },
    terminal: {
      open: fail('terminal.open'),
      list: fail('terminal.list'),
      attach: fail('terminal.attach'),
      close: fail('terminal.close'),
      input: fail('terminal.input'),
      resize: fail('terminal.resize'),
      ...parts.terminal,
    },
  };
}

/** A stream whose source fails at its first pull, as a service that cannot start would. */
export function failingStream(error: Error): AsyncIterable<never> {
  return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }) };
}

/** A stream that yields nothing and ends only when its subscriber goes away. */
export function untilAborted(signal: AbortSignal): AsyncIterable<never> {
  const ended = new Promise<IteratorResult<never>>((resolve) => {
    if (signal.aborted) resolve({ done: true, value: undefined });
    signal.addEventListener('abort', () => resolve({ done: true, value: undefined }));
  });
  return { [Symbol.asyncIterator]: () => ({ next: () => ended }) };
}
