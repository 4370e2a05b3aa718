import type { ConnectionState } from '../../../engine/core/connection-state';
import type { MachineStatus } from '../../../app/contract/machine-contract';
import { VM_STEP_LABELS } from '../../../app/contract/machine-contract';
import { useEngineState } from '../views/machine/use-engine-state';
import { useMachineStatus } from '../views/machine/machine-status';
import { useNavigation } from '../navigation';
import './status-bar.css';

type Tone = 'ok' | 'busy' | 'bad';
type VmState = NonNullable<MachineStatus['vm']>['state'];

function describeEngine(state: ConnectionState | undefined): { tone: Tone; text: string } {
  switch (state?.kind) {
    case 'connecting':
      // A retry after a loss keeps saying what is wrong until the engine answers.
      if (state.lastFailure) return { tone: 'bad', text: `Engine unreachable: ${state.lastFailure} Retrying now…` };
      return { tone: 'busy', text: `Engine: connecting to ${state.endpoint}…` };
    case undefined:
    case 'idle':
      return { tone: 'busy', text: 'Engine: connecting…' };
    case 'connected':
      return {
        tone: 'ok',
        text: `Engine running: Docker ${state.info.version} (API ${state.info.apiVersion}, ${state.info.os}/${state.info.arch}) at ${state.endpoint}`,
      };
    case 'unreachable':
      return {
        tone: 'bad',
        text: `Engine unreachable: ${state.reason}${state.retryInMs > 0 ? ` Retrying in ${(state.retryInMs / 1000).toFixed(1)} s.` : ' Retrying.'}`,
      };
    case 'disposed':
      return { tone: 'bad', text: 'Engine connection closed.' };
  }
}

/** While Berth's VM is not running, its state is what the person needs to know, not the engine's. */
function describeVm(state: VmState): { tone: Tone; text: string } | null {
  switch (state.kind) {
    case 'running':
      return null;
    case 'resting':
      // Paused to save CPU and memory; any engine request (the CLI, this window) wakes it first.
      return { tone: 'ok', text: 'Resting: wakes on the next request' };
    case 'starting':
      return {
        tone: 'busy',
        text: `VM starting: ${VM_STEP_LABELS[state.step]}… (step ${state.stepIndex + 1} of ${state.stepCount})${state.retry ? ` ${state.retry}` : ''}`,
      };
    case 'stopping':
      return { tone: 'busy', text: 'VM stopping…' };
    case 'stopped':
      return { tone: 'bad', text: 'VM stopped. Start it from the Engine view.' };
    case 'error':
      return { tone: 'bad', text: `VM error: ${state.failure.message}` };
  }
}

export function StatusBar({ lostReason }: { lostReason: string | null }) {
  const engine = useEngineState();
  const machine = useMachineStatus();
  const navigate = useNavigation((state) => state.navigate);
  const vmState = machine?.vm?.state;
  const vmLine = vmState ? describeVm(vmState) : null;
  // A full disk matters while the engine answers (an unreachable engine is the bigger news).
  const diskFull = machine?.vm?.diskFull;
  const diskLine = diskFull && engine?.kind === 'connected' ? { tone: 'bad' as const, text: diskFull } : null;
  const { tone, text } = lostReason
    ? { tone: 'bad' as const, text: `Disconnected from Berth: ${lostReason}` }
    : (vmLine ?? diskLine ?? describeEngine(engine));
  return (
    <footer className="status-bar" data-tone={tone}>
      <span className="status-dot" aria-hidden="true" />
      <span role="status" aria-live="polite" aria-label="Engine status">
        {text}
      </span>
      {!lostReason && vmState?.kind === 'starting' ? (
        <progress aria-label="VM start progress" value={vmState.stepIndex + 1} max={vmState.stepCount} />
      ) : null}
      {!lostReason && (vmState?.kind === 'error' || diskLine) ? (
        <button type="button" className="link-button" onClick={() => navigate({ kind: 'view', view: 'engine' })}>
          Show details
        </button>
      ) : null}
    </footer>
  );
}
