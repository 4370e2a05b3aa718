/**
 * A BerthImplementation for tests of the API plumbing (session, client, transports): every member
 * fails loudly unless the test supplies it, so a test states exactly what the "engine" does.
 */
import { contractEntries } from '../../contract/contract.js';
import type { BerthImplementation } from '../implementation.js';

export type FakeImplementationParts = { [N in keyof BerthImplementation]?: Partial<BerthImplementation[N]> };

function notFaked(name: string) {
  return () => {
    throw new Error(`${name} is not faked in this test`);
  };
}

/** Every contract member, failing unless faked: built from the contract, so a new member needs no edit here. */
export function createFakeImplementation(parts: FakeImplementationParts = {}): BerthImplementation {
  const implementation: Record<string, Record<string, unknown>> = {};
  for (const [qualified] of contractEntries()) {
    const [namespace, name] = qualified.split('.') as [string, string];
    (implementation[namespace] ??= {})[name] = notFaked(qualified);
  }
  for (const [namespace, members] of Object.entries(parts)) Object.assign(implementation[namespace] ?? {}, members);
  return implementation as unknown as BerthImplementation;
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
