import { useMutation } from '@tanstack/react-query';
import { isBerthApiError } from '../../../app/contract/errors';
import { useNoticeStore } from './notice-store';

/**
 * A button's engine action: runs it, reports a failure as a notice with the API's own specific message.
 * The list updates from the engine's events, not from here.
 */
export function useEngineAction<A, R = unknown>(action: (args: A) => Promise<R>) {
  const notify = useNoticeStore((state) => state.notify);
  return useMutation({
    mutationFn: action,
    onError: (error) => notify('error', isBerthApiError(error) ? error.message : `Unexpected error: ${String(error)}`),
  });
}
