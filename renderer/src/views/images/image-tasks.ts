/**
 * Starting pulls, pushes and builds and following them in the image task store, whoever opened them
 * (the Images view, the palette). Only cancelImageTask ends one early. When one ends while the person
 * is on another view than Images (or the page is hidden), a desktop notification says so and leads to
 * the Images view.
 */
import type { BerthClient, StreamObserver, Subscription } from '../../../../app/contract/client';
import type { BuildProgressItem, TransferProgressItem } from '../../../../app/contract/image-contract';
import { showDesktopNotice, taskNotice } from '../../notifications';
import { useImageTaskStore, type ImageTaskItem, type ImageTaskKind } from './image-task-store';
import { awayFrom } from './use-stream-task';

type BuildRequest = Parameters<BerthClient['images']['build']>[0];

const store = () => useImageTaskStore.getState();
/** The open streams, by task id: not UI state, so not in the store. */
const subscriptions = new Map<number, Subscription>();

function notifyEnd(id: number, kind: ImageTaskKind, subject: string, failure: string | null): void {
  const done = kind === 'pull' ? 'Pulled' : kind === 'push' ? 'Pushed' : 'Built';
  const noun = kind === 'pull' ? 'Pull' : kind === 'push' ? 'Push' : 'Build';
  const notice = taskNotice(
    {
      doneTitle: `${done} ${subject}`,
      failedTitle: `${noun} of ${subject} failed`,
      failure,
      route: { kind: 'view', view: 'images' },
      tag: `image-task:${id}`,
    },
    awayFrom('images'),
  );
  if (notice) showDesktopNotice(notice);
}

function follow<I>(
  kind: ImageTaskKind,
  subject: string,
  wrap: (item: I) => ImageTaskItem,
  open: (observer: StreamObserver<I>) => Subscription,
): number {
  const id = store().add(kind, subject);
  const end = () => subscriptions.delete(id);
  const subscription = open({
    next: (item) => store().apply(id, wrap(item)),
    error: (error) => {
      end();
      store().settle(id, 'failed', error);
      notifyEnd(id, kind, subject, error.message);
    },
    complete: () => {
      end();
      store().settle(id, 'done');
      notifyEnd(id, kind, subject, null);
    },
  });
  // A stream that ended synchronously (a refusal) has already settled; keep only live ones.
  if (store().tasks.find((task) => task.id === id)?.phase === 'running') subscriptions.set(id, subscription);
  return id;
}

export function startPull(api: BerthClient, reference: string, platform: string): number {
  return follow<TransferProgressItem>(
    'pull',
    reference,
    (item) => ({ kind: 'transfer', item }),
    (observer) => api.images.pull(platform ? { reference, platform } : { reference }, observer),
  );
}

export function startPush(api: BerthClient, reference: string): number {
  return follow<TransferProgressItem>(
    'push',
    reference,
    (item) => ({ kind: 'transfer', item }),
    (observer) => api.images.push({ reference }, observer),
  );
}

export function startBuild(api: BerthClient, request: BuildRequest): number {
  return follow<BuildProgressItem>(
    'build',
    request.tag ?? request.contextPath,
    (item) => ({ kind: 'build', item }),
    (observer) => api.images.build(request, observer),
  );
}

/** Ends a running task in the engine (its stream disposed), and marks it cancelled. */
export function cancelImageTask(id: number): void {
  const subscription = subscriptions.get(id);
  if (!subscription) return;
  subscriptions.delete(id);
  subscription.dispose();
  store().settle(id, 'cancelled');
}
