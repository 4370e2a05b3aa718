import { describe, expect, it } from 'vitest';
import { joinPath, parentPath, pathSegments } from './volume-paths';

describe('volume paths', () => {
  it('joins a name to a folder, the root included', () => {
    expect(joinPath('/', 'logs')).toBe('/logs');
    expect(joinPath('/logs', 'today.txt')).toBe('/logs/today.txt');
  });

  it('goes up one folder, stopping at the root', () => {
    expect(parentPath('/logs/2024')).toBe('/logs');
    expect(parentPath('/logs')).toBe('/');
    expect(parentPath('/')).toBe('/');
  });

  it('gives the breadcrumb trail from the root', () => {
    expect(pathSegments('/')).toEqual([{ label: 'volume root', path: '/' }]);
    expect(pathSegments('/a/b c')).toEqual([
      { label: 'volume root', path: '/' },
      { label: 'a', path: '/a' },
      { label: 'b c', path: '/a/b c' },
    ]);
  });
});
