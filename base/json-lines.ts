/**
 * Line-delimited text as it arrives in chunks (the engine's event, stats and progress streams, QEMU's
 * QMP socket): complete lines out, trimmed, empty ones skipped; an unfinished tail waits for the next
 * chunk. Pure: callers parse the lines (each its own way of treating a line that is not JSON).
 */
export class LineSplitter {
  private pending = '';

  /** The lines this chunk completes. */
  push(chunk: string): string[] {
    this.pending += chunk;
    const lines: string[] = [];
    let newline: number;
    while ((newline = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, newline).trim();
      this.pending = this.pending.slice(newline + 1);
      if (line) lines.push(line);
    }
    return lines;
  }

  /** The last line, when the text ended without a newline. */
  end(): string[] {
    const line = this.pending.trim();
    this.pending = '';
    return line ? [line] : [];
  }
}

/** Reads a byte or text stream as lines, the last one included when it has no newline. */
export async function* readLines(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  const splitter = new LineSplitter();
  for await (const chunk of source) {
    yield* splitter.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
  }
  yield* splitter.push(decoder.decode());
  yield* splitter.end();
}
