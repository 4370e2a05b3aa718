/**
 * The app's log for a diagnostics archive: Berth logs to stdout and stderr (the terminal that started
 * it, or the service manager's journal), so the last lines are kept here as they are written. Bounded
 * (a line count and a line length), and undone by the disposer.
 */
import { toDisposable, type Disposable } from '../../base/index.js';

const MAX_LINE_CHARS = 2_000;

export interface RecentOutput extends Disposable {
  lines(): string[];
}

export function captureProcessOutput(maxLines = 2_000): RecentOutput {
  const kept: string[] = [];
  let partial = '';
  const keep = (chunk: unknown) => {
    const text = partial + (typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '');
    const parts = text.split('\n');
    partial = (parts.pop() ?? '').slice(0, MAX_LINE_CHARS);
    for (const line of parts) kept.push(`${new Date().toISOString()} ${line.slice(0, MAX_LINE_CHARS)}`);
    if (kept.length > maxLines) kept.splice(0, kept.length - maxLines);
  };
  const restore = [process.stdout, process.stderr].map((stream) => {
    const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = (chunk: unknown, ...rest: unknown[]) => {
      keep(chunk);
      return original(chunk, ...rest);
    };
    return () => {
      stream.write = original;
    };
  });
  // console.log goes through process.stdout.write, so it is kept too.
  return Object.assign(
    toDisposable(() => restore.forEach((undo) => undo())),
    { lines: () => (partial ? [...kept, partial] : [...kept]) },
  );
}
