import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { isBerthApiError } from '../../../../app/contract/errors';
import { VmSettingsSchema, type VmSettingsInput, type VmSettingsView } from '../../../../app/contract/machine-contract';
import { useApi } from '../../api/api-context';
import { FormProblem } from '../../components/FormProblem';
import { useEngineAction } from '../../components/use-engine-action';
import type { SettingsListing } from '../../../../app/contract/settings-contract';
import { machineSettingsKey } from './machine-status';
import { isLocked, useSettingsListing, VM_FIELD_KEYS, type VmField } from './use-settings-listing';

interface Draft {
  cpus: string;
  memoryMiB: string;
  diskGiB: string;
  sharedFolders: string;
  startOnLaunch: boolean;
  restAfterMinutes: string;
}

function toDraft(settings: VmSettingsInput): Draft {
  return {
    cpus: String(settings.cpus),
    memoryMiB: String(settings.memoryMiB),
    diskGiB: String(settings.diskGiB),
    sharedFolders: settings.sharedFolders.join('\n'),
    startOnLaunch: settings.startOnLaunch,
    restAfterMinutes: String(settings.restAfterMinutes),
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
    restAfterMinutes: Number(draft.restAfterMinutes),
  });
}

/** The VM part of the settings file's listing, as the form edits it; null before the first listing. */
function vmSettingsOf(listing: SettingsListing | undefined): VmSettingsInput | null {
  if (!listing) return null;
  const values = Object.fromEntries(listing.entries.map((entry) => [entry.key, entry.value]));
  const parsed = VmSettingsSchema.safeParse(
    Object.fromEntries(Object.entries(VM_FIELD_KEYS).map(([field, key]) => [field, values[key]])),
  );
  return parsed.success ? parsed.data : null;
}

/**
 * CPUs, memory, disk, shared folders; a change the running VM cannot take says so and offers the restart.
 * The form follows the settings file live; what the administrator locked is shown disabled with the reason.
 */
export function VmSettingsForm() {
  const api = useApi();
  const { data } = useQuery({ queryKey: machineSettingsKey, queryFn: () => api.machine.settings({}) });
  const listing = useSettingsListing();
  return data ? <SettingsEditor view={data} listing={listing} /> : null;
}

const LOCKED_REASON = 'Locked by your administrator';

function SettingsEditor({ view: data, listing }: { view: VmSettingsView; listing: SettingsListing | undefined }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const problemId = useId();
  const [draft, setDraft] = useState<Draft>(() => toDraft(data.settings));
  const [problem, setProblem] = useState<string | null>(null);
  const [needsRestart, setNeedsRestart] = useState(false);
  const restart = useEngineAction(() => api.machine.restart({}));
  const lockedId = useId();
  // An edit of the settings file (or `berth settings set`) shows here as soon as Berth applies it.
  const current = vmSettingsOf(listing) ?? data.settings;
  const currentText = JSON.stringify(current);
  // Adjusted while rendering (React's pattern for state that follows a prop), not in an effect.
  const [shownText, setShownText] = useState(currentText);
  if (shownText !== currentText) {
    setShownText(currentText);
    setDraft(toDraft(current));
  }
  const locked = (field: VmField) => isLocked(listing, field);
  const lockNote = (field: VmField): ReactNode =>
    locked(field) ? (
      <small id={`${lockedId}-${field}`} className="locked-reason">
        {LOCKED_REASON}
      </small>
    ) : null;
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
  const describedBy = (key: VmField) =>
    [locked(key) ? `${lockedId}-${key}` : null, problem ? problemId : null].filter(Boolean).join(' ') || undefined;
  const field = (key: 'cpus' | 'memoryMiB' | 'diskGiB' | 'restAfterMinutes') => ({
    value: draft[key],
    onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [key]: event.target.value }),
    disabled: locked(key),
    'aria-describedby': describedBy(key),
  });

  return (
    <form className="settings-form" aria-labelledby="vm-settings-heading" onSubmit={submit} noValidate>
      <h2 id="vm-settings-heading">VM settings</h2>
      <label>
        <span>CPUs</span>
        <input type="number" min={1} max={data.limits.maxCpus} {...field('cpus')} />
        {lockNote('cpus')}
      </label>
      <label>
        <span>Memory (MiB)</span>
        <input type="number" min={512} max={data.limits.maxMemoryMiB} step={256} {...field('memoryMiB')} />
        {lockNote('memoryMiB')}
      </label>
      <label>
        <span>Disk size (GiB)</span>
        <input type="number" min={1} {...field('diskGiB')} />
        {lockNote('diskGiB')}
      </label>
      <label>
        <span>Shared folders (one per line)</span>
        <textarea
          rows={3}
          value={draft.sharedFolders}
          onChange={(event) => setDraft({ ...draft, sharedFolders: event.target.value })}
          disabled={locked('sharedFolders')}
          aria-describedby={describedBy('sharedFolders')}
        />
        {lockNote('sharedFolders')}
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={draft.startOnLaunch}
          onChange={(event) => setDraft({ ...draft, startOnLaunch: event.target.checked })}
          disabled={locked('startOnLaunch')}
          aria-describedby={describedBy('startOnLaunch')}
        />
        <span>Start the VM when Berth starts</span>
        {lockNote('startOnLaunch')}
      </label>
      <label>
        <span>Rest after idle minutes (0: never)</span>
        <input type="number" min={0} max={1440} {...field('restAfterMinutes')} />
        {lockNote('restAfterMinutes')}
      </label>
      <div className="button-row">
        <button type="submit" disabled={save.isPending}>
          Save settings
        </button>
      </div>
      {problem ? <FormProblem id={problemId}>{problem}</FormProblem> : null}
      {listing?.problem ? <FormProblem>{listing.problem}</FormProblem> : null}
      {listing ? (
        <p className="muted settings-file">
          Also in <code>{listing.file}</code>
          {listing.lockedFile ? (
            <>
              ; locked by <code>{listing.lockedFile}</code>
            </>
          ) : null}
        </p>
      ) : null}
      {needsRestart || listing?.needsRestart ? (
        <p role="status">
          The VM uses the new settings after a restart.{' '}
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
