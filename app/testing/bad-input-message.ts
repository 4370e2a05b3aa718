/**
 * The catalogue's {placeholders}, filled in: in a call's arguments (a folder of the test's, a port it
 * holds) and in the expected message, where a placeholder the test does not know matches any text.
 */

export type PlaceholderValues = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{([a-zA-Z]+)\}/g;

/** The text with every known placeholder replaced; unknown ones are left as they are. */
export function fillText(text: string, values: PlaceholderValues): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}

/**
 * Arguments with the placeholders filled in, deep. A string that is one placeholder alone takes the
 * value's own type, so `hostPort: '{port}'` becomes a number.
 */
export function fillArgs(value: unknown, values: PlaceholderValues): unknown {
  if (typeof value === 'string') {
    const alone = /^\{([a-zA-Z]+)\}$/.exec(value);
    if (alone && Object.hasOwn(values, alone[1]!)) return values[alone[1]!];
    return fillText(value, values);
  }
  if (Array.isArray(value)) return value.map((item) => fillArgs(item, values));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillArgs(item, values)]));
  }
  return value;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The whole message, exactly: known placeholders by their value, unknown ones as any text (at least one character). */
export function messagePattern(message: string, values: PlaceholderValues): RegExp {
  let source = '';
  let last = 0;
  for (const match of message.matchAll(PLACEHOLDER)) {
    source += escapeRegExp(message.slice(last, match.index));
    const name = match[1]!;
    source += Object.hasOwn(values, name) ? escapeRegExp(String(values[name])) : `(?<${name}>.+?)`;
    last = match.index + match[0].length;
  }
  source += escapeRegExp(message.slice(last));
  return new RegExp(`^${source}$`, 's');
}
