/**
 * The helper image: one static busybox (the host's /bin/busybox) in an image built through the engine
 * API, because no registry may be reachable and the engine may be remote (a VM) where a bind mount of
 * a host file would not work. Debug shells run in it, and volume browsing lists volumes with it.
 */
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { EngineError, toEngineError } from '../core/index.js';
import { createTar } from './tar-writer.js';

export const HELPER_IMAGE = 'berth/debug-helper:1';
const HOST_BUSYBOX = '/bin/busybox';

export async function readHostBusybox(): Promise<Buffer> {
  return readFile(HOST_BUSYBOX).catch(() => {
    throw new EngineError(
      'engine-error',
      `A debug shell needs a static busybox to give the container, and ${HOST_BUSYBOX} is missing on this machine (apt install busybox-static).`,
    );
  });
}

async function drain(stream: NodeJS.ReadableStream): Promise<void> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  const failure = /"error(?:Detail)?"\s*:\s*(?:\{\s*"message"\s*:\s*)?"([^"]+)"/.exec(text);
  if (failure) throw new Error(failure[1]);
}

export async function ensureHelperImage(docker: Dockerode): Promise<void> {
  const present = await docker
    .getImage(HELPER_IMAGE)
    .inspect()
    .then(
      () => true,
      () => false,
    );
  if (present) return;
  const busybox = await readHostBusybox();
  const tar = createTar([
    { path: 'bin', mode: 0o755 },
    { path: 'bin/busybox', content: busybox, mode: 0o755 },
    { path: 'tmp', mode: 0o1777 },
  ]);
  const [repo, tag] = HELPER_IMAGE.split(':') as [string, string];
  try {
    await drain(await docker.importImage(Readable.from([tar]), { repo, tag }));
  } catch (error) {
    throw toEngineError(error, 'build the debug helper image');
  }
}
