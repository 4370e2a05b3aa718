import { describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/core/index.js';
import { adviseDiskFull, withDiskFullAdvice } from './disk-full-advice.js';
import type { BerthImplementation } from './implementation.js';

const ADVICE = "Berth's VM disk is full (8 GiB): remove unused images and containers (Prune) or raise vm.diskGiB in Settings.";
const full = new EngineError('engine-error', 'The build failed at step 2/2 (RUN x): write /tmp/f: no space left on device');

/** An implementation of two members, one method and one stream, each failing as told. */
function fakeImplementation(failWith: Error): BerthImplementation {
  return {
    containers: {
      list: async () => {
        throw failWith;
      },
    },
    images: {
      build: async function* () {
        yield { kind: 'log', text: 'Step 1/2\n' };
        throw failWith;
      },
    },
  } as unknown as BerthImplementation;
}

async function collect(stream: AsyncIterable<unknown>): Promise<{ items: unknown[]; error: unknown }> {
  const items: unknown[] = [];
  try {
    for await (const item of stream) items.push(item);
    return { items, error: null };
  } catch (error) {
    return { items, error };
  }
}

describe('withDiskFullAdvice', () => {
  it('turns a full disk into disk-full with the advice, in a method and in a stream after its items', async () => {
    const implementation = withDiskFullAdvice(fakeImplementation(full), () => ADVICE);
    await expect(implementation.containers.list({}, null as never)).rejects.toMatchObject({ code: 'disk-full', message: ADVICE });
    const build = implementation.images.build as unknown as () => AsyncIterable<unknown>;
    const { items, error } = await collect(build());
    expect(items).toEqual([{ kind: 'log', text: 'Step 1/2\n' }]);
    expect(error).toMatchObject({ code: 'disk-full', message: ADVICE });
  });

  it('keeps the engine’s words (with the disk-full code) when the engine in use has no advice', () => {
    expect(adviseDiskFull(full, () => null)).toMatchObject({ code: 'disk-full', message: full.message });
  });

  it('passes other failures through untouched', async () => {
    const other = new EngineError('not-found', 'No such container: web');
    const implementation = withDiskFullAdvice(fakeImplementation(other), () => ADVICE);
    await expect(implementation.containers.list({}, null as never)).rejects.toBe(other);
    const build = implementation.images.build as unknown as () => AsyncIterable<unknown>;
    expect((await collect(build())).error).toBe(other);
  });
});
