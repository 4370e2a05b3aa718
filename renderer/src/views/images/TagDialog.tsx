import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { isBerthApiError } from '../../../../app/contract/errors';
import { useApi } from '../../api/api-context';
import { FormProblem } from '../../components/FormProblem';
import { DialogFooter, ModalDialog } from '../../components/ModalDialog';
import { useNoticeStore } from '../../components/notice-store';
import './images.css';

/** `docker tag`: another name for an image (the list shows it once the engine's event arrives). */
export function TagDialog({ source, onClose }: { source: string; onClose: () => void }) {
  const api = useApi();
  const notify = useNoticeStore((state) => state.notify);
  const [target, setTarget] = useState('');
  const tag = useMutation({ mutationFn: (name: string) => api.images.tag({ source, target: name }) });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const name = target.trim();
    tag.mutate(name, {
      onSuccess: () => {
        notify('info', `Tagged ${source} as ${name}.`);
        onClose();
      },
    });
  };

  return (
    <ModalDialog title={`Tag ${source}`} onClose={onClose} className="image-dialog">
      <form className="stack-form" onSubmit={submit} aria-label="Tag image">
        <label>
          <span>New tag</span>
          <input
            value={target}
            onChange={(event) => setTarget(event.target.value)}
            placeholder="127.0.0.1:5000/team/app:1.0"
            autoComplete="off"
            spellCheck={false}
            required
            autoFocus
          />
        </label>
        {tag.isError ? <FormProblem>{isBerthApiError(tag.error) ? tag.error.message : String(tag.error)}</FormProblem> : null}
        <DialogFooter onDismiss={onClose} submit={{ label: 'Tag', disabled: tag.isPending }} />
      </form>
    </ModalDialog>
  );
}
