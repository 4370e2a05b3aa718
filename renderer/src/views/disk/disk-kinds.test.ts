import { describe, expect, it } from 'vitest';
import { describePrune } from './disk-kinds';

describe('describePrune', () => {
  it('says how many went and how much space came back', () => {
    expect(describePrune({ kind: 'volumes', removed: 2, spaceReclaimed: 204_800 })).toBe('2 volumes removed, 205 kB reclaimed.');
    expect(describePrune({ kind: 'images', removed: 1, spaceReclaimed: 999 })).toBe('1 image removed, 999 B reclaimed.');
    expect(describePrune({ kind: 'build-cache', removed: 0, spaceReclaimed: 0 })).toBe('0 cache records removed, 0 B reclaimed.');
  });
});
