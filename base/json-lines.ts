/**
 * The engine's progress streams (pull, push, build) are JSON messages, one per line. This reads them
 * from a byte stream as they arrive; a line that is not JSON (a proxy's error page) is reported as
 * the engine's error text rather than dropped.
 */
import { StringDecoder } from 'node:string_decoder';
import type { EngineProgressMessage } from '../engine/images/transfer-progress.js';

export async function* readJsonLines(source: AsyncIterable<Buffer | string>): AsyncGenerator<EngineProgressMessage> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const parse = (line: string): EngineProgressMessage | null => {
    const text = line.trim();
    if (text === '') return null;
    try {
      return JSON.parse(text) as EngineProgressMessage;
    } catch {
      return { error: text };
    }
  };
  for await (const chunk of source) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const message = parse(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      if (message) yield message;
      newline = pending.indexOf('\n');
    }
  }
  const last = parse(pending + decoder.end());
  if (last) yield last;
}
