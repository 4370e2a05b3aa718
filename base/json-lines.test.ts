import { describe, expect, it } from 'vitest';
import { LineSplitter, readLines } from './json-lines.js';

describe('LineSplitter', () => {
  it('gives complete lines, trimmed, and keeps the unfinished tail for the next chunk', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('{"a":1}\r\n{"b"')).toEqual(['{"a":1}']);
    expect(splitter.push(':2}\n\n  \n{"c":3}')).toEqual(['{"b":2}']);
    expect(splitter.end()).toEqual(['{"c":3}']);
    expect(splitter.end()).toEqual([]);
  });
});

describe('readLines', () => {
  it('keeps a multi-byte character split between chunks', async () => {
    const bytes = new TextEncoder().encode('é\nlast');
    async function* chunks() {
      yield bytes.subarray(0, 1);
      yield bytes.subarray(1);
    }
    const lines: string[] = [];
    for await (const line of readLines(chunks())) lines.push(line);
    expect(lines).toEqual(['é', 'last']);
  });
});
