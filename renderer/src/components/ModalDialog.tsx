import { useEffect, useId, useRef, type ReactNode } from 'react';

interface ModalDialogProps {
  title: string;
  children: ReactNode;
  onClose: () => void;
  className?: string;
}

/**
 * The one modal <dialog> every dialog is built on (ConfirmDialog, FormDialog, the views' forms and
 * details): the browser gives it focus trapping, Escape to close and the dialog role; the title names it.
 */
export function ModalDialog({ title, children, onClose, className }: ModalDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) {
      element.showModal();
      // React's autoFocus runs while the dialog is still closed (so it does nothing) and showModal then
      // focuses the first control: a button that should have the focus says so with data-autofocus.
      element.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }
    return () => element?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className={className ? `dialog ${className}` : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        // The owner unmounts the dialog; letting the browser close it too would leave React out of step.
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

interface DialogFooterProps {
  /**
   * "Cancel" where leaving sends nothing; "Close" where the dialog runs a task and shows its result,
   * so the button stays last, after the task's own button.
   */
  dismissLabel?: 'Cancel' | 'Close';
  onDismiss: () => void;
  /** The form's submit button; a dialog that only shows something has none. */
  submit?: { label: string; disabled?: boolean; danger?: boolean; autoFocus?: boolean };
  /** While the dialog's task runs, its cancel button takes the submit button's place. */
  cancelTask?: { label: string; onCancel: () => void } | null;
}

/** The row of buttons at the foot of every dialog (`.dialog-actions`). */
export function DialogFooter({ dismissLabel = 'Cancel', onDismiss, submit, cancelTask }: DialogFooterProps) {
  const dismiss = (
    <button type="button" onClick={onDismiss}>
      {dismissLabel}
    </button>
  );
  const action = cancelTask ? (
    <button type="button" className="danger" onClick={cancelTask.onCancel}>
      {cancelTask.label}
    </button>
  ) : submit ? (
    <button
      type="submit"
      className={submit.danger ? 'danger' : undefined}
      disabled={submit.disabled}
      data-autofocus={submit.autoFocus ? '' : undefined}
    >
      {submit.label}
    </button>
  ) : null;
  return (
    <div className="dialog-actions">
      {dismissLabel === 'Cancel' ? dismiss : action}
      {dismissLabel === 'Cancel' ? action : dismiss}
    </div>
  );
}
