/**
 * zod's own words for a refused argument ("Too big: expected string to have <=128 characters",
 * "Invalid input: expected int, received number") as a sentence a person reads: what is wrong and
 * what is allowed. Messages the contract wrote itself ("A port is between 1 and 65535.") stay as they are.
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

const ZOD_DEFAULT = /^(Too (big|small): expected|Invalid input: expected|Invalid option: expected)/;
const NOUN: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  null: 'null',
  undefined: 'nothing',
  nan: 'NaN',
};
const noun = (type: string) => NOUN[type] ?? `a ${type}`;

function bound(issue: Extract<Issue, { code: 'too_big' | 'too_small' }>): string | null {
  const big = issue.code === 'too_big';
  const limit = Number(big ? (issue as { maximum: number | bigint }).maximum : (issue as { minimum: number | bigint }).minimum);
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'string':
      if (!big && limit === 1) return 'Required: it cannot be empty.';
      return big ? `Too long: at most ${limit} characters.` : `Too short: at least ${limit} characters.`;
    case 'array':
    case 'set':
      if (!big && limit === 1) return 'Give at least one.';
      return big ? `Too many: at most ${limit}.` : `Too few: at least ${limit}.`;
    case 'number':
    case 'int':
    case 'bigint':
      if (big) return inclusive ? `Too big: at most ${limit}.` : `Too big: less than ${limit}.`;
      return inclusive ? `Too small: at least ${limit}.` : `Too small: more than ${limit}.`;
    default:
      return null;
  }
}

export function plainIssueText(issue: Issue): string {
  if (!ZOD_DEFAULT.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'too_big':
    case 'too_small':
      return bound(issue) ?? issue.message;
    case 'invalid_type': {
      const received = /received (\w+)$/.exec(issue.message)?.[1];
      if (received === 'undefined') return `Missing: ${noun(issue.expected)} is required.`;
      return `Expected ${noun(issue.expected)}${received ? `, not ${noun(received)}` : ''}.`;
    }
    case 'invalid_value':
      return `Must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}.`;
    default:
      return issue.message;
  }
}
