import { useEffect, useState } from 'react';
import { useApi } from '../api/api-context';
import { useNoticeStore } from '../components/notice-store';
import { useEngineAction } from '../components/use-engine-action';
import { useNavigation } from '../navigation';
import { RemoveContainerDialog } from '../views/containers/RemoveContainerDialog';
import { BuildDialog } from '../views/images/BuildDialog';
import { RunDialog } from '../views/images/RunDialog';
import { TransferDialog } from '../views/images/TransferDialog';
import { CommandPalette } from './CommandPalette';
import { usePaletteStore } from './palette-store';
import { usePaletteRunner, type PaletteDialog } from './use-palette-runner';
import './palette.css';

/**
 * The palette, and the dialogs its commands open (Pull, Run, Build, and Remove's confirmation, the
 * same ones the views open). When the palette closes, the focus goes back where it was.
 */
export function PaletteHost() {
  const api = useApi();
  const open = usePaletteStore((state) => state.paletteOpen);
  const closePalette = usePaletteStore((state) => state.closePalette);
  const notify = useNoticeStore((state) => state.notify);
  const [dialog, setDialog] = useState<PaletteDialog | null>(null);
  const run = usePaletteRunner(setDialog);
  const remove = useEngineAction((args: { id: string; force: boolean }) => api.containers.remove(args));
  const closeDialog = () => setDialog(null);

  useEffect(() => {
    if (open) return;
    const { returnFocusTo } = usePaletteStore.getState();
    if (!returnFocusTo) return;
    usePaletteStore.setState({ returnFocusTo: null });
    // A dialog the command opened has the focus now; otherwise back to the opener, or to the main
    // region when the opener went with the place the command left.
    if (document.querySelector('dialog[open]')) return;
    if (returnFocusTo.isConnected) returnFocusTo.focus();
    else document.getElementById('berth-main')?.focus();
  }, [open]);

  return (
    <>
      {open ? (
        <CommandPalette
          onClose={closePalette}
          onRun={(command) => {
            closePalette();
            run(command.action);
          }}
        />
      ) : null}
      {dialog?.kind === 'pull' ? <TransferDialog mode="pull" onClose={closeDialog} /> : null}
      {dialog?.kind === 'build' ? <BuildDialog onClose={closeDialog} /> : null}
      {dialog?.kind === 'run' ? <RunDialog initialImage="" onClose={closeDialog} /> : null}
      {dialog?.kind === 'remove' ? (
        <RemoveContainerDialog
          container={dialog.container}
          onCancel={closeDialog}
          onConfirm={(force) => {
            const { container } = dialog;
            closeDialog();
            // Leave its detail first, so the place does not vanish from under the person.
            const { route, navigate } = useNavigation.getState();
            if (route.kind === 'container' && route.ref === container.name)
              navigate({ kind: 'view', view: 'containers' }, { replace: true });
            remove.mutate({ id: container.id, force }, { onSuccess: () => notify('info', `Removed ${container.name}.`) });
          }}
        />
      ) : null}
    </>
  );
}
