import { describe, expect, it } from 'vitest';
import { createAsyncQueue, subscribeToQueue } from './async-queue.js';
import { Emitter } from './disposable.js';

async function drain<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of iterable) values.push(value);
  return values;
}

describe('createAsyncQueue', () => {
  it('delivers pushed values in order, then ends', async () => {
    const queue = createAsyncQueue<number>(10, 'drop-oldest');
    queue.push(1);
    queue.push(2);
    queue.push(3);
    queue.end();
    expect(await drain(queue)).toEqual([1, 2, 3]);
  });

  it('wakes a consumer that is already waiting', async () => {
    const queue = createAsyncQueue<string>(10, 'drop-oldest');
    const iterator = queue[Symbol.asyncIterator]();
    const pending = iterator.next();
    queue.push('late');
    expect(await pending).toEqual({ done: false, value: 'late' });
    const ending = iterator.next();
    queue.end();
    expect(await ending).toEqual({ done: true, value: undefined });
  });

  it('drop-oldest keeps the newest `capacity` values and counts the dropped ones', async () => {
    const queue = createAsyncQueue<number>(3, 'drop-oldest');
    for (let value = 1; value <= 10; value += 1) queue.push(value);
    expect(queue.takeDropped()).toBe(7);
    expect(queue.takeDropped()).toBe(0); // taking resets the count
    queue.end();
    expect(await drain(queue)).toEqual([8, 9, 10]);
  });

  it('drops nothing while the consumer keeps up', async () => {
    const queue = createAsyncQueue<number>(2, 'drop-oldest');
    const iterator = queue[Symbol.asyncIterator]();
    for (let value = 1; value <= 5; value += 1) {
      queue.push(value);
      expect(await iterator.next()).toEqual({ done: false, value });
    }
    expect(queue.takeDropped()).toBe(0);
  });

  it('keep-latest holds only the newest value, whatever the capacity', async () => {
    const queue = createAsyncQueue<string>(100, 'keep-latest');
    queue.push('connecting');
    queue.push('unreachable');
    queue.push('connected');
    queue.end();
    expect(await drain(queue)).toEqual(['connected']);
    expect(queue.takeDropped()).toBe(0);
  });

  it('an abort ends a waiting iteration and later pushes are ignored', async () => {
    const controller = new AbortController();
    const queue = createAsyncQueue<number>(10, 'drop-oldest', controller.signal);
    const iterator = queue[Symbol.asyncIterator]();
    queue.push(1);
    expect(await iterator.next()).toEqual({ done: false, value: 1 });
    const waiting = iterator.next();
    controller.abort();
    expect(await waiting).toEqual({ done: true, value: undefined });
    queue.push(2);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('a signal aborted before the queue exists ends iteration at once', async () => {
    const queue = createAsyncQueue<number>(10, 'drop-oldest', AbortSignal.abort());
    queue.push(1);
    expect(await drain(queue)).toEqual([]);
  });

  it('ignores pushes after end()', async () => {
    const queue = createAsyncQueue<number>(10, 'drop-oldest');
    queue.push(1);
    queue.end();
    queue.push(2);
    expect(await drain(queue)).toEqual([1]);
  });
});

describe('subscribeToQueue', () => {
  const keepLatest = (signal: AbortSignal, initial?: string) => ({
    capacity: 1,
    overflow: 'keep-latest' as const,
    signal,
    initial,
  });

  it('queues the current value first, then what the subscription pushes, and unsubscribes on abort', async () => {
    const emitter = new Emitter<string>();
    const controller = new AbortController();
    const queue = subscribeToQueue(keepLatest(controller.signal, 'now'), (q) => emitter.event((value) => q.push(value)));
    const iterator = queue[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toBe('now');
    emitter.fire('next');
    expect((await iterator.next()).value).toBe('next');
    controller.abort();
    emitter.fire('after');
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(emitter.listenerCount).toBe(0);
  });

  it('disposes the subscription at once when the signal is already aborted', () => {
    const emitter = new Emitter<string>();
    subscribeToQueue(keepLatest(AbortSignal.abort()), (q) => emitter.event((value) => q.push(value)));
    expect(emitter.listenerCount).toBe(0);
  });

  it('with nothing to follow, yields the initial value and waits for the abort', async () => {
    const controller = new AbortController();
    const queue = subscribeToQueue(keepLatest(controller.signal, 'only'), () => null);
    const values = drain(queue);
    controller.abort();
    expect(await values).toEqual(['only']);
  });
});
