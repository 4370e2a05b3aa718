import { describe, expect, it } from 'vitest';
import { volumePathProblem } from './volume-paths.js';

describe('volumePathProblem', () => {
  it.each(['/', '/data', '/a/b.c/d-e', '/with space/x'])('accepts %j', (path) => {
    expect(volumePathProblem(path)).toBeNull();
  });

  it.each([
    ['data', /starts with "\/"/],
    ['/a/../b', /"\.\."/],
    ['/..', /"\.\."/],
    ['/a//b', /empty/],
    ['/a/', /empty/],
    ['/./a', /"\."/],
    ['/a\0b', /NUL/],
  ])('refuses %j', (path, reason) => {
    expect(volumePathProblem(path)).toMatch(reason);
  });
});
