import { describe, expect, it } from 'vitest';
import { EngineError } from '../core/index.js';
import { readProgressMessages, TransferProgressTracker, type EngineProgressMessage } from './transfer-progress.js';

const A = 'aaaaaaaaaaaa';
const B = 'bbbbbbbbbbbb';
const C = 'cccccccccccc';
const at = (id: string, status: string, current?: number, total?: number): EngineProgressMessage => ({
  id,
  status,
  progressDetail: current === undefined ? {} : { current, total },
});

describe('TransferProgressTracker (pull)', () => {
  it('counts download as the first half of a layer and extraction as the second', () => {
    const tracker = new TransferProgressTracker('pull', 'app:1');
    tracker.apply({ id: '1', status: 'Pulling from app' });
    tracker.apply(at(A, 'Pulling fs layer'));
    tracker.apply(at(B, 'Pulling fs layer'));
    tracker.apply(at(A, 'Downloading', 50, 100));
    let snapshot = tracker.snapshot();
    expect(snapshot.layers.map((layer) => layer.status)).toEqual(['Downloading', 'Pulling fs layer']);
    expect(snapshot.overall).toEqual({ fraction: 0.125, current: 50, total: 100 });
    expect(snapshot.message).toBe('1: Pulling from app');

    tracker.apply(at(A, 'Download complete'));
    tracker.apply(at(A, 'Extracting', 50, 100));
    tracker.apply(at(B, 'Downloading', 10, 10));
    snapshot = tracker.snapshot();
    expect(snapshot.layers[0]).toMatchObject({
      id: A,
      status: 'Extracting',
      current: 50,
      total: 100,
      fraction: 0.75,
      done: false,
    });
    expect(snapshot.overall.current).toBe(110);
    expect(snapshot.overall.total).toBe(110);

    tracker.apply(at(A, 'Pull complete'));
    tracker.apply(at(B, 'Pull complete'));
    expect(tracker.snapshot().overall.fraction).toBe(0.99); // complete only when the engine says so
    tracker.apply({ status: 'Status: Downloaded newer image for app:1' });
    tracker.finish();
    snapshot = tracker.snapshot();
    expect(snapshot).toMatchObject({ done: true, message: 'Status: Downloaded newer image for app:1' });
    expect(snapshot.overall.fraction).toBe(1);
    expect(snapshot.layers.every((layer) => layer.done)).toBe(true);
  });

  it('leaves layers already present out of the overall bar', () => {
    const tracker = new TransferProgressTracker('pull', 'app');
    tracker.apply(at(A, 'Already exists'));
    tracker.apply(at(B, 'Pulling fs layer'));
    expect(tracker.snapshot().overall.fraction).toBe(0);
    expect(tracker.snapshot().layers[0]).toMatchObject({ done: true, fraction: 1 });
  });

  it('never moves the overall bar back', () => {
    const tracker = new TransferProgressTracker('pull', 'app');
    tracker.apply(at(A, 'Downloading', 90, 100));
    const before = tracker.snapshot().overall.fraction;
    tracker.apply(at(B, 'Pulling fs layer'));
    tracker.apply(at(C, 'Pulling fs layer'));
    expect(tracker.snapshot().overall.fraction).toBe(before);
  });

  it('throws the engine error a message carries', () => {
    const tracker = new TransferProgressTracker('pull', 'app');
    expect(() => tracker.apply({ errorDetail: { message: 'unauthorized: authentication required' }, error: 'x' })).toThrow(
      EngineError,
    );
  });
});

describe('TransferProgressTracker (push)', () => {
  it('follows upload bytes and counts existing layers as done', () => {
    const tracker = new TransferProgressTracker('push', 'reg:5000/app:1');
    tracker.apply({ status: 'The push refers to repository [reg:5000/app]' });
    tracker.apply(at(A, 'Preparing'));
    tracker.apply(at(B, 'Preparing'));
    tracker.apply(at(A, 'Pushing', 25, 100));
    tracker.apply(at(B, 'Layer already exists'));
    const snapshot = tracker.snapshot();
    expect(snapshot.overall).toEqual({ fraction: 0.25, current: 25, total: 100 });
    tracker.apply(at(A, 'Pushed'));
    expect(tracker.snapshot().layers.find((layer) => layer.id === A)).toMatchObject({ done: true, fraction: 1 });
  });
});

describe('readProgressMessages', () => {
  async function* chunks(...parts: string[]) {
    for (const part of parts) yield Buffer.from(part);
  }

  it('splits messages across and within chunks', async () => {
    const messages: EngineProgressMessage[] = [];
    for await (const message of readProgressMessages(chunks('{"status":"a"}\r\n{"sta', 'tus":"b"}\r\n\r\n{"status":"c"}'))) {
      messages.push(message);
    }
    expect(messages).toEqual([{ status: 'a' }, { status: 'b' }, { status: 'c' }]);
  });

  it('reports a line that is not JSON as an error', async () => {
    const messages: EngineProgressMessage[] = [];
    for await (const message of readProgressMessages(chunks('502 Bad Gateway\n'))) messages.push(message);
    expect(messages).toEqual([{ error: '502 Bad Gateway' }]);
  });

  it('keeps multi-byte characters split between chunks', async () => {
    const bytes = Buffer.from('{"stream":"é"}\n');
    async function* split() {
      yield bytes.subarray(0, 12);
      yield bytes.subarray(12);
    }
    const messages: EngineProgressMessage[] = [];
    for await (const message of readProgressMessages(split())) messages.push(message);
    expect(messages).toEqual([{ stream: 'é' }]);
  });
});
