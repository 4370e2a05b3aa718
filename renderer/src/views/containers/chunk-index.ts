/**
 * The index of a log kept in chunks (the batches as they arrived, never copied into one array): where
 * each chunk starts, and which chunk holds line N, by binary search. Shared by the single container's
 * log (log-buffer.ts) and the logs explorer's (explorer-buffer.ts).
 */

/** The first line number of each chunk. */
export function chunkStarts(chunks: ReadonlyArray<{ readonly texts: ArrayLike<unknown> }>): number[] {
  let start = 0;
  return chunks.map((chunk) => {
    const at = start;
    start += chunk.texts.length;
    return at;
  });
}

/** The chunk holding line `index`, and the line's place in it. */
export function locateLine(starts: readonly number[], index: number): [chunk: number, offset: number] {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= index) low = middle;
    else high = middle - 1;
  }
  return [low, index - starts[low]!];
}
