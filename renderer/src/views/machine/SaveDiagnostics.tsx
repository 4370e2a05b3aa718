import { useMutation } from '@tanstack/react-query';
import { isBerthApiError, BerthApiError } from '../../../../app/contract/errors';
import type { BerthClient } from '../../../../app/contract/client';
import { useApi } from '../../api/api-context';
import { FormProblem } from '../../components/FormProblem';
import { base64ToBytes, saveBlob } from '../containers/save-download';

/** The archive's bytes from the app, offered to the browser as a download (the page cannot open the path). */
function offerDownload(api: BerthClient, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const parts: BlobPart[] = [];
    api.system.diagnosticsDownload(
      { name },
      {
        next: (chunk) => void parts.push(base64ToBytes(chunk.base64)),
        error: (error) => reject(BerthApiError.from(error)),
        complete: () => {
          saveBlob(parts, name, 'application/gzip');
          resolve();
        },
      },
    );
  });
}

/** "Save diagnostics": one archive for a bug report, written in Berth's state folder and offered as a download. */
export function SaveDiagnostics() {
  const api = useApi();
  const save = useMutation({
    mutationFn: async () => {
      const archive = await api.system.diagnose({});
      const name = archive.path.split(/[\\/]/).at(-1) ?? '';
      await offerDownload(api, name);
      return archive;
    },
  });
  return (
    <section className="diagnostics" aria-labelledby="diagnostics-heading">
      <h2 id="diagnostics-heading">Diagnostics</h2>
      <p className="muted">
        One archive with Berth&apos;s log, the VM console, engine facts, settings and recent failures, for a bug report.
        Passwords, keys and tokens are left out.
      </p>
      <div className="button-row">
        <button type="button" disabled={save.isPending} onClick={() => save.mutate()}>
          {save.isPending ? 'Saving diagnostics…' : 'Save diagnostics'}
        </button>
      </div>
      {save.isSuccess ? (
        <p role="status">
          Saved diagnostics ({Math.ceil(save.data.bytes / 1024)} KiB) to <code>{save.data.path}</code>
        </p>
      ) : null}
      {save.isError ? <FormProblem>{isBerthApiError(save.error) ? save.error.message : String(save.error)}</FormProblem> : null}
    </section>
  );
}
