/**
 * The volume transfer members of `volumes` (see volume-transfer-contract.ts) over VolumeTransfers.
 * Imports stream straight to the engine (nothing is gathered in the app), so what bounds them is how
 * many run: a few per connection. An import belongs to the connection that began it: it is cancelled
 * (its half-made volume removed) when that page goes away or sends nothing for a while.
 */
import { randomUUID } from 'node:crypto';
import { toDisposable, type Disposable } from '../../base/index.js';
import { EngineError } from '../../engine/core/index.js';
import type { VolumeImport, VolumeTransfers } from '../../engine/volumes/index.js';
import { BerthApiError } from '../contract/errors.js';
import type { volumeTransferContract } from '../contract/volume-transfer-contract.js';
import type { BerthImplementation, PeerContext } from './implementation.js';

type VolumeTransferImplementation = Pick<BerthImplementation['volumes'], keyof typeof volumeTransferContract>;

interface OpenImport {
  peerId: string;
  pending: VolumeImport;
  release: Disposable;
  idleTimer: NodeJS.Timeout;
}

const IMPORT_IDLE_MS = 5 * 60_000;
export const IMPORTS_PER_PEER = 2;

export function createVolumeTransferImplementation(transfers: VolumeTransfers): VolumeTransferImplementation {
  const imports = new Map<string, OpenImport>();

  const forget = (importId: string): OpenImport | undefined => {
    const open = imports.get(importId);
    if (!open) return undefined;
    imports.delete(importId);
    clearTimeout(open.idleTimer);
    open.release.dispose();
    return open;
  };
  const cancel = (importId: string) => forget(importId)?.pending.cancel();
  const idle = (importId: string) => setTimeout(() => void cancel(importId), IMPORT_IDLE_MS);
  const own = (importId: string, peer: PeerContext): OpenImport => {
    const open = imports.get(importId);
    if (!open || open.peerId !== peer.peerId) {
      throw new EngineError('not-found', 'This import is not in progress (it was finished, cancelled or timed out).');
    }
    return open;
  };

  return {
    exportTar: ({ name }, _peer, signal) =>
      (async function* () {
        for await (const chunk of transfers.exportTar(name, signal)) yield { kind: 'data' as const, data: chunk };
      })(),
    importBegin: async ({ name }, peer) => {
      const mine = [...imports.values()].filter((open) => open.peerId === peer.peerId).length;
      if (mine >= IMPORTS_PER_PEER) {
        throw new BerthApiError(
          'limit-reached',
          `${IMPORTS_PER_PEER} imports are in progress on this connection already; wait for one to finish.`,
        );
      }
      const pending = await transfers.beginImport(name);
      const importId = randomUUID();
      const release = peer.resources.add(toDisposable(() => void cancel(importId)));
      imports.set(importId, { peerId: peer.peerId, pending, release, idleTimer: idle(importId) });
      return { importId };
    },
    importChunk: async ({ importId, base64 }, peer) => {
      const open = own(importId, peer);
      clearTimeout(open.idleTimer);
      try {
        await open.pending.write(Buffer.from(base64, 'base64'));
      } catch (error) {
        await cancel(importId);
        throw error;
      }
      open.idleTimer = idle(importId);
      return { received: open.pending.received };
    },
    importFinish: async ({ importId }, peer) => {
      own(importId, peer);
      const open = forget(importId)!;
      return open.pending.finish();
    },
    importCancel: async ({ importId }, peer) => {
      own(importId, peer);
      await cancel(importId);
      return null;
    },
    clone: ({ source, target }, _peer, signal) =>
      (async function* () {
        const clone = transfers.clone(source, target, signal);
        let step = await clone.next();
        // Leaving early (the subscriber disposed) returns the generator, which removes the half-made target.
        try {
          while (!step.done) {
            yield { kind: 'progress' as const, bytes: step.value };
            step = await clone.next();
          }
        } finally {
          if (!step.done) await clone.return(undefined as never);
        }
        yield { kind: 'done' as const, volume: step.value };
      })(),
  };
}
