/** An engine's status as one line a person reads. Pure. */
import type { EngineStatus } from '../../../../app/contract/engines-contract';

export function engineStatusText(status: EngineStatus): string {
  switch (status.kind) {
    case 'checking':
      return 'Checking…';
    case 'reachable':
      return `Reachable · Docker ${status.version} (API ${status.apiVersion})`;
    case 'unreachable':
      return `Unreachable: ${status.reason}`;
  }
}
