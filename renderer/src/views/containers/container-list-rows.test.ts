import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../../../engine/core/engine-types';
import { buildListRows, projectSummary } from './container-list-rows';

const container = (
  id: string,
  project: string | null = null,
  state: ContainerSummary['state'] = 'running',
): ContainerSummary => ({
  id,
  name: id,
  image: 'busybox',
  imageId: 'sha256:1',
  command: 'sh',
  state,
  status: '',
  ports: [],
  created: 1,
  composeProject: project,
  composeService: project ? id : null,
});

const describeRows = (rows: ReturnType<typeof buildListRows>) =>
  rows.map((row) =>
    row.kind === 'project' ? `[${row.project}${row.collapsed ? '+' : '-'}]` : `${row.container.id}${row.project ? '^' : ''}`,
  );

describe('buildListRows', () => {
  const list = [container('a'), container('web', 'shop'), container('b'), container('db', 'shop'), container('x', 'blog')];

  it('gathers a project’s containers under one row where its first container was', () => {
    expect(describeRows(buildListRows(list, new Set()))).toEqual(['a', '[shop-]', 'web^', 'db^', 'b', '[blog-]', 'x^']);
  });

  it('hides a collapsed project’s containers', () => {
    expect(describeRows(buildListRows(list, new Set(['shop'])))).toEqual(['a', '[shop+]', 'b', '[blog-]', 'x^']);
  });

  it('counts the running members of a project', () => {
    expect(projectSummary([container('web', 'shop'), container('db', 'shop', 'exited')])).toBe('1 of 2 running');
  });
});
