/**
 * A full engine disk, said in the user's terms wherever it surfaces: a run, a pull, a build, a volume
 * import, any call or stream of the contract. The engine says "no space left on device" in many
 * shapes (an HTTP error, a line in a build's or a pull's stream, a start refused after a create);
 * engine/core recognises them all, and this turns each into one disk-full error with the advice for
 * the engine in use (Berth's VM: which disk, how big, what to do). Calls that succeed pass untouched.
 */
import { EngineError, isDiskFullError } from '../../engine/core/index.js';
import type { BerthImplementation } from './implementation.js';

/** The sentence for a full disk of the engine in use; null keeps the engine's own words. */
export type DiskFullAdvice = () => string | null;

export function adviseDiskFull(error: unknown, advice: DiskFullAdvice): unknown {
  if (!isDiskFullError(error)) return error;
  const text = advice();
  return new EngineError('disk-full', text ?? (error as Error).message);
}

type AnyMember = (...args: unknown[]) => unknown;

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

async function* adviseStream(source: AsyncIterable<unknown>, advice: DiskFullAdvice): AsyncGenerator<unknown> {
  try {
    yield* source;
  } catch (error) {
    throw adviseDiskFull(error, advice);
  }
}

function adviseMember(member: AnyMember, advice: DiskFullAdvice): AnyMember {
  return (...args) => {
    const result = member(...args);
    if (result instanceof Promise) {
      return result.catch((error: unknown) => {
        throw adviseDiskFull(error, advice);
      });
    }
    if (isAsyncIterable(result)) return adviseStream(result, advice);
    return result;
  };
}

/** The same implementation, each method's and stream's failure passed through adviseDiskFull. */
export function withDiskFullAdvice(implementation: BerthImplementation, advice: DiskFullAdvice): BerthImplementation {
  const wrapped: Record<string, Record<string, AnyMember>> = {};
  for (const [namespace, members] of Object.entries(implementation as unknown as Record<string, Record<string, AnyMember>>)) {
    wrapped[namespace] = Object.fromEntries(
      Object.entries(members).map(([name, member]) => [name, adviseMember(member.bind(members), advice)]),
    );
  }
  return wrapped as unknown as BerthImplementation;
}
