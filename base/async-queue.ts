/**
 * Turns pushed values (an Emitter's events) into an AsyncIterable that a consumer pulls at its own
 * pace. The buffer is bounded: a broadcast source cannot be paused for one slow consumer, so past
 * the bound the oldest values are dropped and the consumer is told how many (it then refreshes).
 */
import type { Disposable } from './disposable.js';

export type QueueOverflow = 'drop-oldest' | 'keep-latest';

export interface AsyncQueue<T> extends AsyncIterable<T> {
  push(value: T): void;
  end(): void;
  /** How many values were dropped since the last call; resets the count. */
  takeDropped(): number;
}

export function createAsyncQueue<T>(capacity: number, overflow: QueueOverflow, signal?: AbortSignal): AsyncQueue<T> {
  const buffer: T[] = [];
  let dropped = 0;
  // An already-aborted signal never fires 'abort': without this check the consumer would wait forever.
  let ended = signal?.aborted ?? false;
  let wake: (() => void) | undefined;

  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  signal?.addEventListener('abort', () => {
    ended = true;
    notify();
  });

  return {
    push(value) {
      if (ended) return;
      if (overflow === 'keep-latest') buffer.length = 0;
      else if (buffer.length >= capacity) {
        buffer.shift();
        dropped += 1;
      }
      buffer.push(value);
      notify();
    },
    end() {
      ended = true;
      notify();
    },
    takeDropped() {
      const count = dropped;
      dropped = 0;
      return count;
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (buffer.length > 0) {
          yield buffer.shift()!;
          continue;
        }
        if (ended) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

/**
 * A subscription as a queue, for a stream method to return: `subscribe` is handed the queue to push
 * into (or end) and returns its subscription, which the signal's abort disposes (null: nothing to
 * follow). `initial` is queued first: the current value of a stream of states.
 */
export function subscribeToQueue<T>(
  options: { capacity: number; overflow: QueueOverflow; signal: AbortSignal; initial?: T },
  subscribe: (queue: AsyncQueue<T>) => Disposable | null,
): AsyncQueue<T> {
  const { capacity, overflow, signal, initial } = options;
  const queue = createAsyncQueue<T>(capacity, overflow, signal);
  if (initial !== undefined) queue.push(initial);
  const subscription = subscribe(queue);
  if (subscription) {
    if (signal.aborted) subscription.dispose();
    else signal.addEventListener('abort', () => subscription.dispose());
  }
  return queue;
}
