/**
 * The logs explorer's search: a regular expression (or, with "Regular expression" off, the text as
 * typed), case-insensitive. A pattern that does not compile is a message for the person, never a throw.
 */
import type { LinePart } from '../containers/LogLines';

export type LogPattern = { kind: 'none' } | { kind: 'valid'; regex: RegExp } | { kind: 'invalid'; message: string };

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export function compileLogPattern(query: string, asRegex: boolean): LogPattern {
  if (query === '') return { kind: 'none' };
  try {
    return { kind: 'valid', regex: new RegExp(asRegex ? query : escapeRegex(query), 'i') };
  } catch (error) {
    // "Invalid regular expression: /(/i: Unterminated group" → "Unterminated group".
    const reason = (error as Error).message.split(': ').at(-1) ?? 'not valid';
    return {
      kind: 'invalid',
      message: `"${query}" is not a valid regular expression (${reason}). Escape characters such as ( [ * + ? with \\, or turn off "Regular expression" to search for the text as typed.`,
    };
  }
}

/** Splits a line around the pattern's matches, for highlighting; an empty match highlights nothing. */
export function splitByPattern(text: string, regex: RegExp): LinePart[] {
  const global = new RegExp(regex.source, 'gi');
  const parts: LinePart[] = [];
  let start = 0;
  for (let match = global.exec(text); match !== null; match = global.exec(text)) {
    if (match[0] === '') {
      global.lastIndex += 1; // step over an empty match, or exec finds it again forever
      continue;
    }
    if (match.index > start) parts.push({ text: text.slice(start, match.index), match: false });
    parts.push({ text: match[0], match: true });
    start = match.index + match[0].length;
  }
  if (start < text.length || parts.length === 0) parts.push({ text: text.slice(start), match: false });
  return parts;
}
