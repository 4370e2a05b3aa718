/**
 * How a frame of terminal output is cut before it goes to xterm. xterm parses each write whole, in one
 * task, so a piece is the least the page's main thread can be given back at (terminal-writer.ts then
 * decides how many go in one task). A frame of the app's (up to 1 MiB: engine/terminals/terminal-output-queue.ts)
 * whole would be 15-200 ms even on a quiet machine; on a loaded one a task runs at a fraction of a core
 * (a trace here showed 20 ms of CPU taking 127 ms), so pieces must parse in a few ms.
 *
 * What a piece costs xterm is mostly its lines, not its bytes: every line feed at the bottom scrolls
 * (and fires scroll events), about 0.6 µs each here, while a byte of text is some 6 ns. So a piece
 * ends after PIECE_LINES line feeds or PIECE_BYTES bytes, whichever comes first: a few ms of parsing
 * on a quiet machine either way (`od`: 64 KiB is 900 lines; `yes`: 4,096 lines is 12 KiB). Halved from
 * 128 KiB and 8,192 lines: on a loaded machine the longest task then went over 100 ms (62-112 ms).
 */
export const PIECE_LINES = 4 * 1024;
export const PIECE_BYTES = 64 * 1024;

const LINE_FEED = 0x0a;

/** The frame's pieces, in order (views, not copies); one piece, the frame itself, when it is small. */
export function piecesOf(frame: Uint8Array, maxLines = PIECE_LINES, maxBytes = PIECE_BYTES): Uint8Array[] {
  if (frame.length <= maxLines && frame.length <= maxBytes) return [frame]; // typing: nothing to count
  const pieces: Uint8Array[] = [];
  let start = 0;
  let lines = 0;
  // indexOf is a native scan: 0.4 ms a MiB of `od` (a loop over the bytes takes three times that).
  for (let at = 0; ;) {
    const feed = frame.indexOf(LINE_FEED, at);
    const end = feed < 0 ? frame.length : feed + 1;
    for (; end - start > maxBytes; start += maxBytes, lines = 0) pieces.push(frame.subarray(start, start + maxBytes));
    if (feed < 0) break;
    if (++lines >= maxLines) {
      pieces.push(frame.subarray(start, end));
      start = end;
      lines = 0;
    }
    at = end;
  }
  if (start < frame.length || pieces.length === 0) pieces.push(start === 0 ? frame : frame.subarray(start));
  return pieces;
}
