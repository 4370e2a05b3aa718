/**
 * Downloads assembled in the page from a stream of chunks, then handed to the browser (or Electron's
 * download handling) as a Blob: the data never has to exist as one string.
 */
import type { BerthClient } from '../../../../app/contract/client';
import { BerthApiError } from '../../../../app/contract/errors';

export function saveBlob(parts: BlobPart[], fileName: string, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.rel = 'noopener';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The browser has taken the data once the click is handled; give it time before releasing the URL.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let index = 0; index < bytes.length; index += step) {
    binary += String.fromCharCode(...bytes.subarray(index, index + step));
  }
  return btoa(binary);
}

/** A file or folder of a container, saved under the name the app gives it. Resolves with that name. */
export function downloadContainerPath(api: BerthClient, id: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: BlobPart[] = [];
    let fileName = 'download';
    api.containers.download(
      { id, path },
      {
        next: (item) => {
          if (item.kind === 'info') fileName = item.info.fileName;
          else parts.push(base64ToBytes(item.base64));
        },
        error: (error) => reject(BerthApiError.from(error)),
        complete: () => {
          saveBlob(parts, fileName);
          resolve(fileName);
        },
      },
    );
  });
}

/** The container's log as text (as `docker logs` prints it), saved as NAME.log. */
export function downloadLog(api: BerthClient, id: string, name: string, options: { since: number | null; timestamps: boolean }) {
  return new Promise<string>((resolve, reject) => {
    const parts: BlobPart[] = [];
    api.containers.logsText(
      { id, ...options },
      {
        next: (item) => void parts.push(item.text),
        error: (error) => reject(BerthApiError.from(error)),
        complete: () => {
          const fileName = `${name}.log`;
          saveBlob(parts, fileName, 'text/plain;charset=utf-8');
          resolve(fileName);
        },
      },
    );
  });
}
