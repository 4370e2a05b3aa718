import type { ReactNode } from 'react';
import { DialogFooter, ModalDialog } from './ModalDialog';

interface ConfirmDialogProps {
  title: string;
  confirmLabel: string;
  children?: ReactNode;
  onConfirm: () => void;
  onCancel: () => void;
}

/** A yes or no before something that cannot be undone: the confirm button is the danger one and has focus. */
export function ConfirmDialog({ title, confirmLabel, children, onConfirm, onCancel }: ConfirmDialogProps) {
  return (
    <ModalDialog title={title} onClose={onCancel}>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          onConfirm();
        }}
      >
        {children}
        <DialogFooter onDismiss={onCancel} submit={{ label: confirmLabel, danger: true, autoFocus: true }} />
      </form>
    </ModalDialog>
  );
}
