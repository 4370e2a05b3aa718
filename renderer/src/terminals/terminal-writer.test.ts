import { describe, expect, it } from 'vitest';
import { PIECE_BYTES } from './terminal-pieces';
import { SLICE_MS, TerminalWriter, type XtermLike } from './terminal-writer';

/**
 * An xterm stand-in: a write is parsed when the test says so, each piece taking `msPerPiece` of the
 * fake clock. `tasks` counts how the writer handed pieces over: within a parse callback (the same task)
 * or after a yield (a new one).
 */
function harness(msPerPiece: number) {
  let clock = 0;
  const pending: { data: Uint8Array; callback: () => void }[] = [];
  const parsed: Uint8Array[] = [];
  const yields: (() => void)[] = [];
  const terminal: XtermLike = { write: (data, callback) => void pending.push({ data, callback }) };
  const writer = new TerminalWriter(
    terminal,
    () => clock,
    (resume) => void yields.push(resume),
  );
  /** Runs one task: xterm parses what is queued (and whatever the writer adds meanwhile). */
  const runTask = () => {
    let pieces = 0;
    for (let next = pending.shift(); next; next = pending.shift()) {
      clock += msPerPiece;
      parsed.push(next.data);
      pieces += 1;
      next.callback();
    }
    return pieces;
  };
  const resume = () => yields.shift()?.();
  return { writer, pending, parsed, yields, runTask, resume };
}

const frameOf = (bytes: number) => new Uint8Array(bytes).fill(0x30);

describe('TerminalWriter', () => {
  it('hands a small frame to xterm at once and reports it parsed', () => {
    const { writer, parsed, runTask } = harness(0.1);
    let done = 0;
    writer.write(new TextEncoder().encode('$ '), () => (done += 1));
    expect(runTask()).toBe(1);
    expect(done).toBe(1);
    expect(new TextDecoder().decode(parsed[0])).toBe('$ ');
  });

  it('keeps one piece in xterm at a time, and yields to the page after SLICE_MS of parsing', () => {
    const { writer, pending, parsed, yields, runTask, resume } = harness(2);
    let done = false;
    writer.write(frameOf(PIECE_BYTES * 8), () => (done = true));
    expect(pending).toHaveLength(1); // not eight: xterm would parse them all in one task
    const perTask: number[] = [];
    for (let task = 0; task < 20 && !done; task += 1) {
      perTask.push(runTask());
      expect(yields.length).toBeLessThanOrEqual(1);
      resume();
    }
    expect(done).toBe(true);
    expect(parsed.reduce((sum, piece) => sum + piece.length, 0)).toBe(PIECE_BYTES * 8);
    // First piece untimed, then pieces until SLICE_MS has passed: 1 + ceil(SLICE_MS / 2) pieces a task.
    expect(perTask.slice(0, -1).every((count) => count === 1 + Math.ceil(SLICE_MS / 2))).toBe(true);
  });

  it('reports each frame parsed in order, once, when its last piece is', () => {
    const { writer, runTask, resume, yields } = harness(1);
    const done: string[] = [];
    writer.write(frameOf(PIECE_BYTES * 3), () => done.push('first'));
    writer.write(frameOf(10), () => done.push('second'));
    while (done.length < 2) {
      runTask();
      if (yields.length) resume();
    }
    expect(done).toEqual(['first', 'second']);
  });

  it('a frame arriving after a pause starts a fresh slice (it is not yielded behind an old one)', () => {
    const { writer, pending, runTask, yields } = harness(SLICE_MS * 2);
    writer.write(frameOf(10), () => undefined);
    runTask();
    writer.write(frameOf(10), () => undefined);
    expect(pending).toHaveLength(1);
    expect(yields).toHaveLength(0);
  });

  it('after dispose, nothing more reaches the terminal', () => {
    const { writer, pending, runTask, resume } = harness(SLICE_MS);
    writer.write(frameOf(PIECE_BYTES * 4), () => undefined);
    runTask();
    writer.dispose();
    resume();
    expect(pending).toHaveLength(0);
  });
});
