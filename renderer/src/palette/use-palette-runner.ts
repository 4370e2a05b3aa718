/**
 * Carries out a palette command: goes somewhere, acts on a container or the VM (a notice says what
 * happened, since the palette is gone by then), or opens the dialog the action needs.
 */
import { useApi } from '../api/api-context';
import { useNoticeStore } from '../components/notice-store';
import { useEngineAction } from '../components/use-engine-action';
import { useNavigation } from '../navigation';
import { useTerminalStore } from '../terminals/terminal-store';
import type { ContainerSummary } from '../../../engine/core/engine-types';
import type { ContainerLifecycle, ImageDialogKind, PaletteAction, VmAction } from './palette-commands';

/** A dialog a command opens over the current place (dialogs are never history entries). */
export type PaletteDialog = { kind: ImageDialogKind } | { kind: 'remove'; container: ContainerSummary };

const DONE: Record<ContainerLifecycle, string> = { start: 'Started', stop: 'Stopped', restart: 'Restarted' };
const VM_ASKED: Record<VmAction, string> = {
  start: 'The VM is starting.',
  stop: 'The VM is stopping.',
  restart: 'The VM is restarting.',
};

export function usePaletteRunner(openDialog: (dialog: PaletteDialog) => void): (action: PaletteAction) => void {
  const api = useApi();
  const navigate = useNavigation((state) => state.navigate);
  const notify = useNoticeStore((state) => state.notify);
  const openTerminal = useTerminalStore((state) => state.openTerminal);
  const lifecycle = useEngineAction((args: { action: ContainerLifecycle; id: string; name: string }) =>
    api.containers[args.action]({ id: args.id }),
  );
  const vm = useEngineAction((action: VmAction) => api.machine[action]({}));

  return (action) => {
    switch (action.kind) {
      case 'navigate':
        return navigate(action.route);
      case 'container':
        return lifecycle.mutate(action, { onSuccess: () => notify('info', `${DONE[action.action]} ${action.name}.`) });
      case 'terminal':
        return openTerminal({ containerId: action.id, containerName: action.name });
      case 'vm':
        return vm.mutate(action.action, { onSuccess: () => notify('info', VM_ASKED[action.action]) });
      case 'image-dialog':
        return openDialog({ kind: action.dialog });
      case 'remove-container':
        return openDialog({ kind: 'remove', container: action.container });
    }
  };
}
