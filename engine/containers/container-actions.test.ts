import { describe, expect, it } from 'vitest';
import { splitCommitReference } from './container-actions.js';

describe('splitCommitReference', () => {
  it.each([
    ['snapshot', 'snapshot', 'latest'],
    ['team/app:1.2', 'team/app', '1.2'],
    ['registry.local:5000/team/app', 'registry.local:5000/team/app', 'latest'],
    ['registry.local:5000/team/app:v2', 'registry.local:5000/team/app', 'v2'],
  ])('%s is repo %s, tag %s', (input, repo, tag) => {
    expect(splitCommitReference(input)).toEqual({ repo, tag });
  });

  it.each([
    ['My-App', /must be lowercase/],
    ['app:', /tag ""/],
    ['app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', /not a digest/],
    ['bad name', /space/],
    ['', /required/],
  ])('refuses %j with a specific message', (input, message) => {
    expect(() => splitCommitReference(input)).toThrow(message);
  });
});
