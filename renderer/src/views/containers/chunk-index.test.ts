import { describe, expect, it } from 'vitest';
import { chunkStarts, locateLine } from './chunk-index';

describe('chunk index', () => {
  const chunks = [{ texts: ['a', 'b', 'c'] }, { texts: ['d'] }, { texts: ['e', 'f'] }];
  const starts = chunkStarts(chunks);

  it('starts each chunk after the lines before it', () => {
    expect(starts).toEqual([0, 3, 4]);
  });

  it('finds every line in its chunk', () => {
    const found = [0, 1, 2, 3, 4, 5].map((line) => locateLine(starts, line));
    expect(found).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [2, 0],
      [2, 1],
    ]);
  });
});
