/**
 * One long-running API stream (a run, a compose up) owned by a dialog: start it, fold its items
 * into state, cancel it (which cancels it in the engine), and dispose it when the dialog goes away.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StreamObserver, Subscription } from '../../../../app/contract/client';
import type { ApiErrorInfo } from '../../../../app/contract/errors';
import { useNavigation, viewOf, type ViewName } from '../../navigation';
import { showDesktopNotice, taskNotice } from '../../notifications';

/** What a task's desktop notification says and where it leads, when it ends while the person is elsewhere. */
export interface TaskNotification {
  title: string;
  view: ViewName;
}

/** Elsewhere: the page hidden (another tab or window in front), or another view than the task's. */
export function awayFrom(view: ViewName): boolean {
  return document.visibilityState === 'hidden' || viewOf(useNavigation.getState().route) !== view;
}

function notifyEnd(notification: TaskNotification | undefined, failure: string | null): void {
  if (!notification) return;
  const { title, view } = notification;
  const notice = taskNotice(
    { doneTitle: `${title} finished`, failedTitle: `${title} failed`, failure, route: { kind: 'view', view }, tag: title },
    awayFrom(view),
  );
  if (notice) showDesktopNotice(notice);
}

export type TaskPhase = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

export interface StreamTask<S> {
  phase: TaskPhase;
  state: S;
  error: ApiErrorInfo | null;
}

/** `reduce` and `initial` should be module constants: a new one restarts nothing, but re-creates `start`. */
export function useStreamTask<I, S>(reduce: (state: S, item: I) => S, initial: S) {
  const [task, setTask] = useState<StreamTask<S>>({ phase: 'idle', state: initial, error: null });
  const subscription = useRef<Subscription | null>(null);

  useEffect(() => () => subscription.current?.dispose(), []);

  const start = useCallback(
    (open: (observer: StreamObserver<I>) => Subscription, notification?: TaskNotification) => {
      subscription.current?.dispose();
      setTask({ phase: 'running', state: initial, error: null });
      let current: Subscription | null = null;
      const ours = () => subscription.current === current;
      current = open({
        next: (item) => {
          if (ours()) setTask((previous) => ({ ...previous, state: reduce(previous.state, item) }));
        },
        error: (error) => {
          if (!ours()) return;
          subscription.current = null;
          setTask((previous) => ({ ...previous, phase: 'failed', error }));
          notifyEnd(notification, error.message);
        },
        complete: () => {
          if (!ours()) return;
          subscription.current = null;
          setTask((previous) => ({ ...previous, phase: 'done' }));
          notifyEnd(notification, null);
        },
      });
      subscription.current = current;
    },
    [reduce, initial],
  );

  const cancel = useCallback(() => {
    if (!subscription.current) return;
    subscription.current.dispose();
    subscription.current = null;
    setTask((previous) => ({ ...previous, phase: 'cancelled' }));
  }, []);

  return { ...task, start, cancel };
}
