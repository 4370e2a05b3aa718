import { useState, type ReactNode } from 'react';
import { isBerthApiError } from '../../../app/contract/errors';
import { FormProblem } from './FormProblem';
import { DialogFooter, ModalDialog } from './ModalDialog';

interface FormDialogProps {
  title: string;
  submitLabel: string;
  children: ReactNode;
  /** Resolves when done; a rejection's message is shown in the dialog, which stays open. */
  onSubmit: () => Promise<unknown>;
  onClose: () => void;
  danger?: boolean;
}

/** A modal form whose engine refusal is shown inside it, so the person can correct and send again. */
export function FormDialog({ title, submitLabel, children, onSubmit, onClose, danger }: FormDialogProps) {
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <ModalDialog title={title} onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setPending(true);
          setProblem(null);
          onSubmit().then(
            () => onClose(),
            (error: unknown) => {
              setPending(false);
              setProblem(isBerthApiError(error) ? error.message : String(error));
            },
          );
        }}
      >
        <div className="form-dialog-fields">{children}</div>
        {problem ? <FormProblem>{problem}</FormProblem> : null}
        <DialogFooter onDismiss={onClose} submit={{ label: pending ? 'Working…' : submitLabel, danger, disabled: pending }} />
      </form>
    </ModalDialog>
  );
}
