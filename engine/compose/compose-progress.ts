/**
 * compose's plain progress output (`--progress plain --ansi never`) as items: ` Container shop-web-1  Started`
 * is a step of one object; anything else (warnings, pull lines, compose's error message) is a line
 * kept as written. Pure.
 */
import type { ComposeProgressLine } from './compose-types.js';

const OBJECT_KINDS = ['Network', 'Container', 'Volume', 'Image', 'Service', 'Secret', 'Config'];
// eslint-disable-next-line no-control-regex -- escape sequences are what this removes
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const STEP = new RegExp(`^(${OBJECT_KINDS.join('|')})\\s+(\\S+)\\s+(.+)$`);

/** One output line; null for a blank one. */
export function parseComposeLine(raw: string): ComposeProgressLine | null {
  const text = raw.replace(ANSI, '').replace(/\r$/, '').trim();
  if (text === '') return null;
  const step = STEP.exec(text);
  if (step) return { kind: 'step', object: step[1]!, name: step[2]!, status: step[3]!.trim() };
  return { kind: 'line', text };
}

/**
 * What to tell the person when compose failed: its own message, the last lines that were not steps
 * (compose prints the reason last), else its exit status.
 */
export function composeFailureMessage(lines: readonly string[], exit: string): string {
  const message = lines.slice(-3).join('\n').trim();
  return message || `docker compose failed (${exit}) without a message.`;
}
