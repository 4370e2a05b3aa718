import { useState } from 'react';
import { VolumeName } from '../../../../app/contract/schemas';
import { useApi } from '../../api/api-context';
import { FormDialog } from '../../components/FormDialog';
import { startClone, startImport } from './volume-transfer-tasks';

/** The same rule the API enforces, so a bad name is told before anything is sent. */
function checkedName(name: string): string {
  const parsed = VolumeName.safeParse(name.trim());
  if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'Invalid volume name.');
  return parsed.data;
}

/** Pick a tar file and a new name. A refusal (not a tar, name taken) is shown here; the rest goes on in the list. */
export function ImportVolumeDialog({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  return (
    <FormDialog
      title="Import a volume from a tar file"
      submitLabel="Import"
      onClose={onClose}
      onSubmit={async () => {
        if (!file) throw new Error('Choose a tar file to import.');
        await startImport(api, file, checkedName(name));
      }}
    >
      <label>
        <span>Tar file</span>
        <input
          type="file"
          accept=".tar,application/x-tar"
          onChange={(event) => {
            const picked = event.target.files?.[0] ?? null;
            setFile(picked);
            // A backup exported as NAME.tar suggests NAME-restored; a person may change it.
            if (picked && !name) setName(`${picked.name.replace(/\.tar$/i, '')}-restored`);
          }}
        />
      </label>
      <label>
        <span>New volume name</span>
        <input value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" />
      </label>
      <p className="muted">The tar goes into a new volume; an existing volume is never overwritten.</p>
    </FormDialog>
  );
}

export function CloneVolumeDialog({ source, onClose }: { source: string; onClose: () => void }) {
  const api = useApi();
  const [name, setName] = useState(`${source}-copy`);
  return (
    <FormDialog
      title={`Clone volume ${source}`}
      submitLabel="Clone"
      onClose={onClose}
      onSubmit={async () => {
        const target = checkedName(name);
        if (target === source) throw new Error('A clone needs a new name.');
        startClone(api, source, target);
      }}
    >
      <label>
        <span>New volume name</span>
        <input value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" />
      </label>
    </FormDialog>
  );
}
