/** A TTY stream's bytes as text, decoded across chunk boundaries (a UTF-8 character may be split). */
import { StringDecoder } from 'node:string_decoder';

/** Yields `leftover` first (text already read past a header), then the rest; a broken stream just ends. */
export async function* decodeTerminalOutput(
  chunks: AsyncIterator<Buffer>,
  decoder: StringDecoder = new StringDecoder('utf8'),
  leftover = '',
): AsyncGenerator<string> {
  if (leftover) yield leftover;
  for (;;) {
    const next = await chunks.next().catch(() => ({ done: true, value: undefined }) as const);
    if (next.done) break;
    const text = decoder.write(next.value);
    if (text) yield text;
  }
  const tail = decoder.end();
  if (tail) yield tail;
}
