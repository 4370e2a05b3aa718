/**
 * Starting volume transfers from the page and following them in the transfer store. An export's bytes
 * are gathered as Blob parts and saved as NAME.tar (a download in a browser, a save dialog in Electron);
 * an import reads the picked file slice by slice and sends the next slice only when the app answered
 * that the engine took the last one, so a large file never piles up in memory or on the wire.
 */
import type { BerthClient, Subscription } from '../../../../app/contract/client';
import { isBerthApiError } from '../../../../app/contract/errors';
import { VOLUME_IMPORT_CHUNK_BYTES } from '../../../../app/contract/volume-transfer-contract';
import { formatBytes } from '../../format';
import { bytesToBase64, saveBlob } from '../containers/save-download';
import { useVolumeTransferStore } from './volume-transfer-store';

const TAR_HEADER_BYTES = 512;
const store = () => useVolumeTransferStore.getState();
const reason = (error: unknown) => (isBerthApiError(error) || error instanceof Error ? error.message : String(error));

export function startExport(api: BerthClient, name: string): void {
  const parts: BlobPart[] = [];
  let bytes = 0;
  let subscription: Subscription | null = null;
  const id = store().add({
    kind: 'export',
    title: `Exporting ${name}`,
    total: null,
    cancel: () => {
      subscription?.dispose();
      parts.length = 0;
      store().settle(id, 'cancelled', `Export of ${name} cancelled; nothing was saved. The volume is untouched.`);
    },
  });
  subscription = api.volumes.exportTar(
    { name },
    {
      next: (item) => {
        parts.push(item.data as Uint8Array<ArrayBuffer>);
        bytes += item.data.length;
        store().progress(id, bytes);
      },
      error: (error) => store().settle(id, 'failed', `Could not export ${name}: ${error.message}`),
      complete: () => {
        saveBlob(parts, `${name}.tar`, 'application/x-tar');
        store().settle(id, 'done', `Exported ${name} as ${name}.tar (${formatBytes(bytes)}).`);
      },
    },
  );
}

async function readSlice(file: Blob, offset: number): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(offset, offset + VOLUME_IMPORT_CHUNK_BYTES).arrayBuffer());
}

/**
 * Begins an import and sends its first slice: a refusal (the name is taken, the file is not a tar) is
 * thrown here, for the dialog to show; past it, the import goes on in the transfer list.
 */
export async function startImport(api: BerthClient, file: Blob & { name: string }, name: string): Promise<void> {
  const { importId } = await api.volumes.importBegin({ name, size: file.size });
  try {
    const first = await readSlice(file, 0);
    await api.volumes.importChunk({ importId, base64: bytesToBase64(first) });
    // Shorter than one tar header: the app can only say why once the file has ended, so end it here.
    if (file.size < TAR_HEADER_BYTES) await api.volumes.importFinish({ importId });
  } catch (error) {
    await api.volumes.importCancel({ importId }).catch(() => undefined);
    throw error;
  }
  let cancelled = false;
  const id = store().add({
    kind: 'import',
    title: `Importing ${file.name} into ${name}`,
    total: file.size,
    cancel: () => {
      cancelled = true;
    },
  });
  store().progress(id, Math.min(file.size, VOLUME_IMPORT_CHUNK_BYTES));
  void (async () => {
    try {
      for (let offset = VOLUME_IMPORT_CHUNK_BYTES; offset < file.size && !cancelled; offset += VOLUME_IMPORT_CHUNK_BYTES) {
        const { received } = await api.volumes.importChunk({ importId, base64: bytesToBase64(await readSlice(file, offset)) });
        store().progress(id, received);
      }
      if (cancelled) {
        await api.volumes.importCancel({ importId });
        store().settle(id, 'cancelled', `Import into ${name} cancelled; the volume it had begun was removed.`);
        return;
      }
      const volume = await api.volumes.importFinish({ importId });
      store().settle(id, 'done', `Imported ${file.name} into volume ${volume.name}.`);
    } catch (error) {
      store().settle(id, 'failed', `Could not import ${file.name} into ${name}: ${reason(error)}`);
    }
  })();
}

export function startClone(api: BerthClient, source: string, target: string): void {
  let subscription: Subscription | null = null;
  const id = store().add({
    kind: 'clone',
    title: `Cloning ${source} into ${target}`,
    total: null,
    cancel: () => {
      subscription?.dispose();
      store().settle(id, 'cancelled', `Clone of ${source} cancelled; ${target} was removed and ${source} is untouched.`);
    },
  });
  subscription = api.volumes.clone(
    { source, target },
    {
      next: (item) => {
        if (item.kind === 'progress') store().progress(id, item.bytes);
        else store().settle(id, 'done', `Cloned ${source} into ${item.volume.name}.`);
      },
      error: (error) => store().settle(id, 'failed', `Could not clone ${source} into ${target}: ${error.message}`),
    },
  );
}
