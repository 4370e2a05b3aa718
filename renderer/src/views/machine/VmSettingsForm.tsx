import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { isBerthApiError } from '../../../../app/contract/errors';
import { VmSettingsSchema, type VmSettingsInput, type VmSettingsView } from '../../../../app/contract/machine-contract';
import { useApi } from '../../api/api-context';
import { FormProblem } from '../../components/FormProblem';
import { useEngineAction } from '../../components/use-engine-action';
import { machineSettingsKey } from './machine-status';

interface Draft {
  cpus: string;
  memoryMiB: string;
  diskGiB: string;
  sharedFolders: string;
  startOnLaunch: boolean;
}

function toDraft(settings: VmSettingsInput): Draft {
  return {
    cpus: String(settings.cpus),
    memoryMiB: String(settings.memoryMiB),
    diskGiB: String(settings.diskGiB),
    sharedFolders: settings.sharedFolders.join('\n'),
    startOnLaunch: settings.startOnLaunch,
  };
}

function fromDraft(draft: Draft) {
  return VmSettingsSchema.safeParse({
    cpus: Number(draft.cpus),
    memoryMiB: Number(draft.memoryMiB),
    diskGiB: Number(draft.diskGiB),
    sharedFolders: draft.sharedFolders
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
    startOnLaunch: draft.startOnLaunch,
  });
}

/** CPUs, memory, disk, shared folders; a change the running VM cannot take says so and offers the restart. */
export function VmSettingsForm() {
  const api = useApi();
  const { data } = useQuery({ queryKey: machineSettingsKey, queryFn: () => api.machine.settings({}) });
  return data ? <SettingsEditor view={data} /> : null;
}

function SettingsEditor({ view: data }: { view: VmSettingsView }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const problemId = useId();
  const [draft, setDraft] = useState<Draft>(() => toDraft(data.settings));
  const [problem, setProblem] = useState<string | null>(null);
  const [needsRestart, setNeedsRestart] = useState(false);
  const restart = useEngineAction(() => api.machine.restart({}));
  const save = useMutation({
    mutationFn: (settings: VmSettingsInput) => api.machine.updateSettings(settings),
    onSuccess: (result) => {
      setProblem(null);
      setNeedsRestart(result.needsRestart);
      queryClient.setQueryData(machineSettingsKey, { settings: result.settings, limits: data.limits });
      setDraft(toDraft(result.settings));
    },
    onError: (error) => setProblem(isBerthApiError(error) ? error.message : String(error)),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = fromDraft(draft);
    if (!parsed.success) return setProblem(parsed.error.issues[0]?.message ?? 'Invalid settings.');
    save.mutate(parsed.data);
  };
  const field = (key: 'cpus' | 'memoryMiB' | 'diskGiB') => ({
    value: draft[key],
    onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [key]: event.target.value }),
    'aria-describedby': problem ? problemId : undefined,
  });

  return (
    <form className="settings-form" aria-labelledby="vm-settings-heading" onSubmit={submit} noValidate>
      <h2 id="vm-settings-heading">VM settings</h2>
      <label>
        <span>CPUs</span>
        <input type="number" min={1} max={data.limits.maxCpus} {...field('cpus')} />
      </label>
      <label>
        <span>Memory (MiB)</span>
        <input type="number" min={512} max={data.limits.maxMemoryMiB} step={256} {...field('memoryMiB')} />
      </label>
      <label>
        <span>Disk size (GiB)</span>
        <input type="number" min={1} {...field('diskGiB')} />
      </label>
      <label>
        <span>Shared folders (one per line)</span>
        <textarea
          rows={3}
          value={draft.sharedFolders}
          onChange={(event) => setDraft({ ...draft, sharedFolders: event.target.value })}
        />
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={draft.startOnLaunch}
          onChange={(event) => setDraft({ ...draft, startOnLaunch: event.target.checked })}
        />
        <span>Start the VM when Berth starts</span>
      </label>
      <div className="button-row">
        <button type="submit" disabled={save.isPending}>
          Save settings
        </button>
      </div>
      {problem ? <FormProblem id={problemId}>{problem}</FormProblem> : null}
      {needsRestart ? (
        <p role="status">
          Saved. The VM uses the new settings after a restart.{' '}
          <button
            type="button"
            disabled={restart.isPending}
            onClick={() => restart.mutate(undefined, { onSuccess: () => setNeedsRestart(false) })}
          >
            Restart now
          </button>
        </p>
      ) : save.isSuccess ? (
        <p role="status">Saved.</p>
      ) : null}
    </form>
  );
}
