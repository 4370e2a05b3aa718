import { useState } from 'react';
import type { MachineStatus } from '../../../../app/contract/machine-contract';
import { VM_STEP_LABELS } from '../../../../app/contract/machine-contract';
import { useApi } from '../../api/api-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useEngineAction } from '../../components/use-engine-action';
import { useNoticeStore } from '../../components/notice-store';

type VmState = NonNullable<MachineStatus['vm']>['state'];

function stateText(state: VmState): string {
  switch (state.kind) {
    case 'stopped':
      return 'Stopped';
    case 'starting':
      return `Starting: ${VM_STEP_LABELS[state.step]} (step ${state.stepIndex + 1} of ${state.stepCount})${state.retry ? ` ${state.retry}` : ''}`;
    case 'running':
      return `Running (engine ready ${(state.bootMs / 1000).toFixed(1)} s after boot)`;
    case 'resting':
      return 'Resting: paused to save CPU and memory; wakes on the next request';
    case 'stopping':
      return 'Stopping';
    case 'error':
      return 'Stopped with an error';
  }
}

export function VmControls({ state }: { state: VmState }) {
  const api = useApi();
  const notify = useNoticeStore((store) => store.notify);
  const [confirmReset, setConfirmReset] = useState(false);
  const start = useEngineAction(() => api.machine.start({}));
  const stop = useEngineAction(() => api.machine.stop({}));
  const restart = useEngineAction(() => api.machine.restart({}));
  const reset = useEngineAction(() => api.machine.factoryReset({}));
  const busy = start.isPending || stop.isPending || restart.isPending || reset.isPending;
  const canStart = state.kind === 'stopped' || state.kind === 'error';
  const awake = state.kind === 'running' || state.kind === 'resting';
  const canStop = awake || state.kind === 'starting';

  return (
    <div className="vm-controls">
      <p>
        VM: <span aria-label="VM state">{stateText(state)}</span>
      </p>
      <div className="button-row">
        <button type="button" disabled={busy || !canStart} onClick={() => start.mutate(undefined)}>
          Start
        </button>
        <button type="button" disabled={busy || !canStop} onClick={() => stop.mutate(undefined)}>
          Stop
        </button>
        <button type="button" disabled={busy || !awake} onClick={() => restart.mutate(undefined)}>
          Restart
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => setConfirmReset(true)}>
          Factory reset…
        </button>
      </div>
      {confirmReset ? (
        <ConfirmDialog
          title="Factory reset the VM?"
          confirmLabel="Delete all data and reset"
          onCancel={() => setConfirmReset(false)}
          onConfirm={() => {
            setConfirmReset(false);
            reset.mutate(undefined, { onSuccess: () => notify('info', 'The VM was reset: its data disk is new and empty.') });
          }}
        >
          <p>
            This deletes the VM&apos;s data disk: every image, container and volume in Berth&apos;s engine, and the build cache.
            Your settings and your files in shared folders are kept. This cannot be undone.
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
