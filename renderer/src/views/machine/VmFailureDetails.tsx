import type { MachineStatus } from '../../../../app/contract/machine-contract';
import { qemuOutcome, VM_STEP_LABELS } from '../../../../app/contract/machine-contract';
import { useApi } from '../../api/api-context';
import { useEngineAction } from '../../components/use-engine-action';
import { CopyButton } from './CopyButton';

type VmFailure = Extract<NonNullable<MachineStatus['vm']>['state'], { kind: 'error' }>['failure'];

function during(failure: VmFailure): string {
  if (failure.during === 'running') return 'while running';
  if (failure.during === 'resting') return 'while resting';
  if (failure.during === 'stopping') return 'while stopping';
  return `at "${VM_STEP_LABELS[failure.during]}"`;
}

function RebuildImageButton() {
  const api = useApi();
  const rebuild = useEngineAction(() => api.machine.rebuildImage({}));
  return (
    <p>
      <button type="button" disabled={rebuild.isPending} onClick={() => rebuild.mutate(undefined)}>
        Rebuild the VM image
      </button>{' '}
      {rebuild.isPending ? (
        <span role="status">Rebuilding from Debian&apos;s packages (a minute or so), then starting…</span>
      ) : null}
    </p>
  );
}

/** What went wrong, in a form a person can read and paste into a bug report. */
export function VmFailureDetails({ failure, imageNeedsRebuild }: { failure: VmFailure; imageNeedsRebuild: boolean }) {
  const report = [
    `VM failure ${during(failure)}: ${failure.message}`,
    `QEMU: ${qemuOutcome(failure)}`,
    'Console (last lines):',
    ...failure.consoleTail,
  ].join('\n');
  return (
    <section className="vm-failure" aria-labelledby="vm-failure-heading">
      <h2 id="vm-failure-heading">What went wrong</h2>
      <p role="alert">
        {failure.message} ({during(failure)}; QEMU {qemuOutcome(failure)})
      </p>
      {imageNeedsRebuild ? <RebuildImageButton /> : <p className="muted">Start recovers: the data disk is kept.</p>}
      <pre className="console-tail" aria-label="VM console (last lines)" tabIndex={0}>
        {failure.consoleTail.length > 0 ? failure.consoleTail.join('\n') : '(the VM printed nothing)'}
      </pre>
      <CopyButton text={report} label="Copy details" />
    </section>
  );
}
