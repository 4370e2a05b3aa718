import type { ConnectionState } from '../../../engine/connection-state';
import { useEngineState } from '../queries/use-engine-state';

function describe(state: ConnectionState | undefined): { tone: 'ok' | 'busy' | 'bad'; text: string } {
  switch (state?.kind) {
    case undefined:
    case 'idle':
    case 'connecting':
      return { tone: 'busy', text: `Engine: connecting${state?.kind === 'connecting' ? ` to ${state.endpoint}` : ''}…` };
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

export function StatusBar({ lostReason }: { lostReason: string | null }) {
  const state = useEngineState();
  const { tone, text } = lostReason ? { tone: 'bad' as const, text: `Disconnected from Berth: ${lostReason}` } : describe(state);
  return (
    <footer className="status-bar" data-tone={tone}>
      <span className="status-dot" aria-hidden="true" />
      <span role="status" aria-live="polite" aria-label="Engine status">
        {text}
      </span>
    </footer>
  );
}
