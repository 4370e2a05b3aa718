import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../engine/core/engine-types';
import type { VmStateView } from '../../../app/contract/machine-contract';
import { createDeathWatch, taskNotice, vmStopNotice } from './notification-rules';

const SECOND = 1_000_000_000;
const event = (action: string, time: number, extra: Partial<EngineEvent> = {}): EngineEvent => ({
  type: 'container',
  action,
  id: 'c0ffee0000000000',
  name: 'web',
  timeNano: time * SECOND,
  ...extra,
});

describe('createDeathWatch', () => {
  it('names a container that exited non-zero on its own, with its code, and leads to its logs', () => {
    const watch = createDeathWatch();
    expect(watch.observe(event('start', 1))).toBeNull();
    expect(watch.observe(event('die', 2, { exitCode: 3 }))).toEqual({
      title: 'web stopped unexpectedly',
      body: 'It exited with code 3.',
      route: { kind: 'container', ref: 'web', tab: 'logs' },
      tag: 'container:c0ffee0000000000',
    });
  });

  it('stays quiet for a clean exit and for a stop or kill someone asked for', () => {
    const watch = createDeathWatch();
    expect(watch.observe(event('die', 1, { exitCode: 0 }))).toBeNull();
    watch.observe(event('kill', 2));
    expect(watch.observe(event('die', 3, { exitCode: 137 }))).toBeNull();
    // The kill explained that death only: the next crash is news again.
    expect(watch.observe(event('die', 9, { exitCode: 1 }))?.title).toBe('web stopped unexpectedly');
  });

  it('does not let an old kill excuse a much later crash', () => {
    const watch = createDeathWatch();
    watch.observe(event('kill', 1));
    expect(watch.observe(event('die', 1 + 120, { exitCode: 2 }))?.body).toBe('It exited with code 2.');
  });

  it('reports an OOM kill even when a stop followed it', () => {
    const watch = createDeathWatch();
    watch.observe(event('oom', 1));
    watch.observe(event('kill', 1));
    expect(watch.observe(event('die', 2, { exitCode: 137 }))?.title).toBe('web was killed: out of memory');
  });

  it('ignores other objects and a die without an exit status', () => {
    const watch = createDeathWatch();
    expect(watch.observe({ ...event('die', 1, { exitCode: 1 }), type: 'image' })).toBeNull();
    expect(watch.observe(event('die', 1))).toBeNull();
  });

  it('names a container without a name by its short id', () => {
    const watch = createDeathWatch();
    const notice = watch.observe(event('die', 1, { exitCode: 5, name: null }));
    expect(notice?.title).toBe('c0ffee000000 stopped unexpectedly');
    expect(notice?.route).toEqual({ kind: 'container', ref: 'c0ffee0000000000', tab: 'logs' });
  });
});

describe('vmStopNotice', () => {
  const running = { kind: 'running', bootMs: 9000 } as const;
  const failure: Extract<VmStateView, { kind: 'error' }>['failure'] = {
    during: 'running',
    message: 'QEMU exited (signal SIGKILL).',
    consoleTail: [],
    exitStatus: 'signal SIGKILL',
  };

  it('tells of a running VM that stopped or failed without a stop', () => {
    expect(vmStopNotice(running, { kind: 'error', failure })).toMatchObject({
      title: 'The engine VM stopped',
      body: 'QEMU exited (signal SIGKILL).',
      route: { kind: 'view', view: 'engine' },
    });
    expect(vmStopNotice(running, { kind: 'stopped' })?.body).toBe('It stopped without being asked to.');
  });

  it('stays quiet for a stop that was asked for, a failed start and the first state seen', () => {
    expect(vmStopNotice({ kind: 'stopping' }, { kind: 'stopped' })).toBeNull();
    expect(vmStopNotice(running, { kind: 'stopping' })).toBeNull();
    expect(
      vmStopNotice({ kind: 'starting', step: 'boot', stepIndex: 0, stepCount: 3 } as never, { kind: 'error', failure }),
    ).toBeNull();
    expect(vmStopNotice(null, { kind: 'stopped' })).toBeNull();
  });
});

describe('taskNotice', () => {
  const task = {
    doneTitle: 'Pulled alpine:3',
    failedTitle: 'Pull of alpine:3 failed',
    failure: null,
    route: { kind: 'view', view: 'images' } as const,
    tag: 'image-task:1',
  };
  it('tells of a task that ended while the person was away, and of its failure', () => {
    expect(taskNotice(task, true)).toMatchObject({ title: 'Pulled alpine:3', route: { kind: 'view', view: 'images' } });
    expect(taskNotice({ ...task, failure: 'manifest unknown' }, true)).toMatchObject({
      title: 'Pull of alpine:3 failed',
      body: 'manifest unknown',
    });
  });
  it('stays quiet when the person watched it end', () => {
    expect(taskNotice(task, false)).toBeNull();
  });
});
