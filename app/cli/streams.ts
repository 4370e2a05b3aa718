/** Reading the contract's streams from a command: the current value, or the first that satisfies a test. */
import type { StreamObserver, Subscription } from '../contract/client.js';
import type { ApiErrorInfo } from '../contract/errors.js';
import { BerthApiError } from '../contract/errors.js';
import { CliError, EXIT } from './exit-codes.js';

type Subscribe<T> = (args: Record<string, never>, observer: StreamObserver<T>) => Subscription;

/** The first item that passes `test`; rejects with a timeout CliError naming `what` after timeoutMs. */
export function waitForItem<T>(subscribe: Subscribe<T>, test: (item: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let subscription: Subscription | null = null;
    let done = false;
    const finish = (settle: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // The observer may be called while subscribe() runs: dispose once it returned.
      queueMicrotask(() => subscription?.dispose());
      settle();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(new CliError(EXIT.timedOut, `Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}.`)),
        ),
      timeoutMs,
    );
    subscription = subscribe(
      {},
      {
        next: (item) => {
          if (test(item)) finish(() => resolve(item));
        },
        error: (error: ApiErrorInfo) => finish(() => reject(BerthApiError.from(error))),
        complete: () => finish(() => reject(new CliError(EXIT.failed, `Berth ended the stream before ${what}.`))),
      },
    );
    if (done) subscription.dispose();
  });
}

/** The stream's current value (its first item). */
export function currentItem<T>(subscribe: Subscribe<T>, what: string, timeoutMs = 10_000): Promise<T> {
  return waitForItem(subscribe, () => true, timeoutMs, what);
}
