/** The container detail part of the contract's implementation, over ContainerService and its parts. */
import { randomUUID } from 'node:crypto';
import type { ContainerService } from '../../engine/containers/index.js';
import { toDisposable, type Disposable } from '../../base/index.js';
import { EngineError } from '../../engine/core/index.js';
import type { containerContract } from '../contract/container-contract.js';
import { BerthApiError } from '../contract/errors.js';
import type { DownloadItem } from '../contract/container-contract.js';
import type { BerthImplementation, PeerContext } from './implementation.js';

type ContainerDetailImplementation = Pick<BerthImplementation['containers'], keyof typeof containerContract>;

interface PendingUpload {
  peerId: string;
  containerId: string;
  directory: string;
  name: string;
  size: number;
  chunks: Buffer[];
  received: number;
  release: Disposable;
  idleTimer: NodeJS.Timeout;
}

/** An upload nobody adds to for this long is dropped (a page that went away mid-way). */
const UPLOAD_IDLE_MS = 5 * 60_000;

/**
 * Uploads are held in memory until their last byte, so what they may hold is bounded: a few at once
 * per connection (the Files tab sends one at a time), and their announced sizes together across all
 * connections (two of the largest single upload).
 */
export interface UploadLimits {
  perPeer: number;
  totalBytes: number;
}
export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { perPeer: 4, totalBytes: 512 * 1024 * 1024 };

const MiB = (bytes: number) => `${Math.ceil(bytes / 1024 / 1024)} MiB`;

async function* downloadItems(chunks: AsyncIterable<Buffer>, first: DownloadItem): AsyncGenerator<DownloadItem> {
  yield first;
  for await (const chunk of chunks) yield { kind: 'chunk', base64: chunk.toString('base64') };
}

export function createContainerImplementation(
  containers: ContainerService,
  uploadLimits: UploadLimits = DEFAULT_UPLOAD_LIMITS,
): ContainerDetailImplementation {
  const { actions, logs, stats, files } = containers;
  const uploads = new Map<string, PendingUpload>();
  /**
   * Refuses an upload that would pass a bound. An upload counts with its announced size from its start,
   * so the bound holds however its bytes arrive.
   */
  const assertRoomFor = (peer: PeerContext, size: number) => {
    let reservedBytes = 0;
    for (const upload of uploads.values()) reservedBytes += upload.size;
    const mine = [...uploads.values()].filter((upload) => upload.peerId === peer.peerId).length;
    if (mine >= uploadLimits.perPeer) {
      throw new BerthApiError(
        'limit-reached',
        `${uploadLimits.perPeer} uploads are in progress on this connection already; wait for one to finish.`,
      );
    }
    if (reservedBytes + size > uploadLimits.totalBytes) {
      throw new BerthApiError(
        'limit-reached',
        `Berth is receiving ${MiB(reservedBytes)} of uploads already and takes at most ${MiB(uploadLimits.totalBytes)} at once; wait for them to finish.`,
      );
    }
  };

  const forget = (uploadId: string) => {
    const upload = uploads.get(uploadId);
    if (!upload) return undefined;
    uploads.delete(uploadId);
    clearTimeout(upload.idleTimer);
    upload.release.dispose();
    return upload;
  };
  const ownUpload = (uploadId: string, peer: PeerContext) => {
    const upload = uploads.get(uploadId);
    if (!upload || upload.peerId !== peer.peerId) {
      throw new EngineError('not-found', 'This upload is not in progress (it was finished, cancelled or timed out).');
    }
    return upload;
  };
  const idle = (uploadId: string) => setTimeout(() => forget(uploadId), UPLOAD_IDLE_MS);

  return {
    pause: async ({ id }) => (await actions.pause(id), null),
    unpause: async ({ id }) => (await actions.unpause(id), null),
    kill: async ({ id, signal }) => (await actions.kill(id, signal), null),
    rename: async ({ id, name }) => (await actions.rename(id, name.replace(/^\//, '')), null),
    commit: ({ id, reference, message }) => actions.commit(id, reference, message?.trim() ? message : null),
    inspect: ({ id }) => actions.inspect(id),
    bulk: async ({ ids, action, force }) => ({ failures: await actions.bulk(ids, action, { force }) }),
    project: async ({ project, action }) => ({ failures: await actions.project(project, action) }),
    logs: ({ id, tail, since, follow }, _peer, signal) => logs.follow(id, { tail, since, follow }, signal),
    logsBefore: ({ id, before, limit, since, density, loaded }) => logs.before(id, before, { limit, since, density, loaded }),
    logsText: ({ id, since, timestamps }, _peer, signal) =>
      (async function* () {
        for await (const text of logs.text(id, { since, timestamps }, signal)) yield { text };
      })(),
    stats: ({ id }, _peer, signal) => stats.watch(id, signal),
    statsMany: ({ ids }, _peer, signal) => stats.watchMany(ids, signal),
    files: ({ id, path }) => files.list(id, path),
    download: ({ id, path }, _peer, signal) =>
      (async function* () {
        const { info, chunks } = await files.download(id, path, signal);
        yield* downloadItems(chunks, { kind: 'info', info });
      })(),
    uploadStart: async ({ id, directory, name, size }, peer) => {
      assertRoomFor(peer, size);
      await files.checkUploadTarget(id, directory, name);
      // Checked again: other uploads may have started while the engine answered.
      assertRoomFor(peer, size);
      const uploadId = randomUUID();
      const release = peer.resources.add(toDisposable(() => forget(uploadId)));
      uploads.set(uploadId, {
        peerId: peer.peerId,
        containerId: id,
        directory,
        name,
        size,
        chunks: [],
        received: 0,
        release,
        idleTimer: idle(uploadId),
      });
      return { uploadId };
    },
    uploadChunk: async ({ uploadId, base64 }, peer) => {
      const upload = ownUpload(uploadId, peer);
      const chunk = Buffer.from(base64, 'base64');
      if (upload.received + chunk.length > upload.size) {
        forget(uploadId);
        throw new EngineError('invalid-argument', `More data than the ${upload.size} bytes announced for ${upload.name}.`);
      }
      upload.chunks.push(chunk);
      upload.received += chunk.length;
      clearTimeout(upload.idleTimer);
      upload.idleTimer = idle(uploadId);
      return null;
    },
    uploadFinish: async ({ uploadId, abort }, peer) => {
      ownUpload(uploadId, peer);
      const upload = forget(uploadId)!;
      if (abort) return null;
      if (upload.received !== upload.size) {
        throw new EngineError(
          'invalid-argument',
          `${upload.name} arrived incomplete (${upload.received} of ${upload.size} bytes).`,
        );
      }
      await files.upload(upload.containerId, upload.directory, upload.name, Buffer.concat(upload.chunks, upload.size));
      return null;
    },
  };
}
