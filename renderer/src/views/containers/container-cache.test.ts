import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../../../engine/core/engine-types';
import { changesContainerList, isStaleAfter, mergeContainers } from './container-cache';

const container = (id: string, created: number, state: ContainerSummary['state'] = 'running'): ContainerSummary => ({
  id,
  name: `name-${id}`,
  image: 'busybox',
  imageId: 'sha256:1',
  command: 'sleep 1',
  state,
  status: '',
  ports: [],
  created,
  composeProject: null,
  composeService: null,
});

describe('changesContainerList', () => {
  it.each(['create', 'start', 'stop', 'die', 'destroy', 'rename', 'pause', 'health_status: healthy'])(
    '%s changes the list',
    (action) => {
      expect(changesContainerList(action)).toBe(true);
    },
  );
  it.each(['exec_create: sh', 'exec_start: sh', 'exec_die', 'attach', 'resize', 'top'])('%s does not', (action) => {
    expect(changesContainerList(action)).toBe(false);
  });
});

describe('mergeContainers', () => {
  it('replaces changed rows, adds new ones, drops gone ones, keeps the rest, newest first', () => {
    const current = [container('a', 3), container('b', 2), container('c', 1)];
    const merged = mergeContainers(current, [container('b', 2, 'exited'), container('d', 4)], new Set(['c']));
    expect(merged.map((row) => row.id)).toEqual(['d', 'a', 'b']);
    expect(merged.find((row) => row.id === 'b')?.state).toBe('exited');
  });

  it('does not touch the array it was given', () => {
    const current = [container('a', 1)];
    mergeContainers(current, [], new Set(['a']));
    expect(current).toHaveLength(1);
  });
});

describe('isStaleAfter', () => {
  it.each([
    ['pause', 'running', true],
    ['pause', 'paused', false],
    ['unpause', 'paused', true],
    ['unpause', 'running', false],
    ['die', 'running', true],
    ['die', 'exited', false],
    ['start', 'created', true],
    ['start', 'exited', false],
    ['rename', 'running', false],
  ] as const)('after %s, a %s summary is stale: %s', (action, state, stale) => {
    expect(isStaleAfter(action, container('a', 1, state))).toBe(stale);
  });
});
