/**
 * A text frame from the page, parsed with a bound on nesting. No message of the contract nests deeper
 * than a dozen levels, but JSON.parse of a frame that nests a hundred thousand arrays holds the event
 * loop for a tenth of a second or more (and every later JSON.stringify of it overflows the stack), so
 * such a frame is refused by a linear scan before it is parsed.
 */
export const MAX_FRAME_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** Whether the JSON text opens more than `max` objects or arrays inside each other (strings skipped). */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index += 1;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) inString = true;
    else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth += 1;
      if (depth > max) return true;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) depth -= 1;
  }
  return false;
}

export type ClientFrame = { ok: true; value: unknown } | { ok: false; reason: string };

export function parseClientFrame(text: string): ClientFrame {
  if (nestsDeeperThan(text, MAX_FRAME_DEPTH)) {
    return { ok: false, reason: `the frame nests deeper than ${MAX_FRAME_DEPTH} levels.` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'the frame is not JSON.' };
  }
}
