import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../../../engine/core/engine-types';
import { matchesFilter } from './container-filter';

const web: ContainerSummary = {
  id: 'abcdef0123456789',
  name: 'web-frontend',
  image: 'nginx:1.27',
  imageId: 'sha256:1',
  command: 'nginx',
  state: 'running',
  status: 'Up 3 minutes',
  ports: [],
  created: 1,
  composeProject: null,
  composeService: null,
};

describe('matchesFilter', () => {
  it.each(['', '  ', 'web', 'FRONT', 'nginx', 'running', 'up 3', 'abcdef'])('matches %j', (filter) => {
    expect(matchesFilter(web, filter)).toBe(true);
  });
  it.each(['exited', 'postgres', '456789'])('does not match %j', (filter) => {
    expect(matchesFilter(web, filter)).toBe(false);
  });
});
