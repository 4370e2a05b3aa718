/**
 * Images of their own for the pull, push and build tests: a build context with a random-data file, so
 * every image has a layer no other image shares (a pull then really downloads it).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSYBOX_IMAGE, dockerCli } from './test-images.js';

export interface BuildContext {
  dir: string;
  dispose(): void;
}

/** Writes `bytes` of random data in 1 MiB pieces (random data does not compress: the layer stays that size). */
export async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const file = await open(path, 'w');
  try {
    for (let written = 0; written < bytes;) {
      const piece = randomBytes(Math.min(1 << 20, bytes - written));
      await file.write(piece);
      written += piece.length;
    }
  } finally {
    await file.close();
  }
}

/** A context with a Dockerfile (FROM the busybox test image, then `steps`) and a random `blob`. */
export async function createBuildContext(steps: string[], blobBytes = 64 * 1024): Promise<BuildContext> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-build-'));
  writeFileSync(join(dir, 'Dockerfile'), [`FROM ${BUSYBOX_IMAGE}`, ...steps].join('\n') + '\n');
  await writeRandomFile(join(dir, 'blob'), blobBytes);
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Builds an image with a unique layer of `blobBytes` with the CLI and pushes it; leaves it only in the registry. */
export async function seedRegistryImage(dockerHost: string, reference: string, blobBytes: number): Promise<void> {
  const context = await createBuildContext(['COPY blob /blob'], blobBytes);
  try {
    await dockerCli(dockerHost, ['build', '-q', '-t', reference, context.dir]);
    await dockerCli(dockerHost, ['push', reference]);
    await dockerCli(dockerHost, ['rmi', reference]);
  } finally {
    context.dispose();
  }
}

/** Collects every item of a stream (or the error it ends with, after the items). */
export async function collect<T>(stream: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of stream) items.push(item);
    return { items, error: null };
  } catch (error) {
    return { items, error };
  }
}
