// What every layer shares (engine, vm, app): disposables and emitters, async queues, line splitting. Pure: no Node I/O.
export { createAsyncQueue, subscribeToQueue } from './async-queue.js';
export { type Disposable, DisposableStore, Emitter, toDisposable } from './disposable.js';
export { LineSplitter, readLines } from './json-lines.js';
