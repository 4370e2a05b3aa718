import { beforeEach, describe, expect, it } from 'vitest';
import type { TransferProgressItem } from '../../../../app/contract/image-contract';
import { applyImageTaskItem, imageTaskTitle, useImageTaskStore, withNewTask, type ImageTask } from './image-task-store';

const progress = (fraction: number): TransferProgressItem => ({
  reference: 'busybox:latest',
  layers: [],
  overall: { current: fraction * 100, total: 100, fraction },
  done: fraction === 1,
  message: null,
});

const store = () => useImageTaskStore.getState();
const find = (id: number) => store().tasks.find((task) => task.id === id);

describe('image task store', () => {
  beforeEach(() => useImageTaskStore.setState({ tasks: [] }));

  it('keeps a pull with its latest progress until it ends, keyed by id', () => {
    const pull = store().add('pull', 'busybox:latest');
    const other = store().add('pull', 'alpine:3');
    store().apply(pull, { kind: 'transfer', item: progress(0.25) });
    store().apply(pull, { kind: 'transfer', item: progress(0.5) });
    expect(find(pull)).toMatchObject({ kind: 'pull', subject: 'busybox:latest', phase: 'running' });
    expect(find(pull)?.progress?.overall.fraction).toBe(0.5);
    expect(find(other)?.progress).toBeNull();
    store().settle(pull, 'done');
    expect(find(pull)?.phase).toBe('done');
  });

  it('folds a build log and its result', () => {
    const build = store().add('build', 'app:dev');
    store().apply(build, { kind: 'build', item: { kind: 'log', text: 'Step 1/2\n' } });
    store().apply(build, { kind: 'build', item: { kind: 'done', imageId: 'sha256:abc', tags: ['app:dev'] } });
    expect(find(build)?.build).toEqual({ text: 'Step 1/2\n', imageId: 'sha256:abc', tags: ['app:dev'] });
  });

  it('keeps the first ending: a cancel after a failure changes nothing, and items after the end are ignored', () => {
    const push = store().add('push', 'registry:5000/app:1');
    store().settle(push, 'failed', { code: 'unauthorized', message: 'denied: requested access to the resource is denied' });
    store().settle(push, 'cancelled');
    store().apply(push, { kind: 'transfer', item: progress(0.9) });
    expect(find(push)).toMatchObject({ phase: 'failed', progress: null });
    expect(find(push)?.error?.message).toContain('denied');
  });

  it('dismisses one task and leaves the others', () => {
    const first = store().add('pull', 'a:1');
    const second = store().add('pull', 'b:1');
    store().dismiss(first);
    expect(store().tasks.map((task) => task.id)).toEqual([second]);
  });

  it('drops the oldest finished tasks beyond five, never a running one', () => {
    const running = store().add('pull', 'slow:1');
    const finished = Array.from({ length: 6 }, (_, index) => {
      const id = store().add('pull', `done:${index}`);
      store().settle(id, 'done');
      return id;
    });
    store().add('build', 'next');
    const ids = store().tasks.map((task) => task.id);
    expect(ids).toContain(running);
    expect(ids).not.toContain(finished[0]);
    expect(ids).not.toContain(finished[1]);
    expect(ids.filter((id) => finished.includes(id))).toHaveLength(4);
  });

  it('names a task as a person reads it', () => {
    expect(imageTaskTitle({ kind: 'pull', subject: 'busybox:latest' })).toBe('Pull of busybox:latest');
    expect(imageTaskTitle({ kind: 'build', subject: 'app:dev' })).toBe('Build of app:dev');
  });

  it('leaves a task that has ended as it was (pure)', () => {
    const ended = { phase: 'done', progress: null } as ImageTask;
    expect(applyImageTaskItem(ended, { kind: 'transfer', item: progress(1) })).toBe(ended);
    expect(withNewTask([], ended)).toEqual([ended]);
  });
});
