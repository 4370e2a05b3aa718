import { describe, expect, it } from 'vitest';
import { compileLogPattern, splitByPattern } from './log-pattern';

describe('compileLogPattern', () => {
  it('is nothing for an empty query', () => {
    expect(compileLogPattern('', true)).toEqual({ kind: 'none' });
  });

  it('compiles a regular expression, case-insensitive', () => {
    const pattern = compileLogPattern('err(or)?\\s+\\d+', true);
    expect(pattern.kind).toBe('valid');
    if (pattern.kind !== 'valid') return;
    expect(pattern.regex.test('ERROR 42')).toBe(true);
    expect(pattern.regex.test('warning 42')).toBe(false);
  });

  it.each([
    ['(', 'Unterminated group'],
    ['[a-', 'Unterminated character class'],
    ['*start', 'Nothing to repeat'],
  ])('explains an invalid expression %j (%s) instead of throwing', (query, reason) => {
    const pattern = compileLogPattern(query, true);
    expect(pattern.kind).toBe('invalid');
    if (pattern.kind !== 'invalid') return;
    expect(pattern.message).toContain(`"${query}" is not a valid regular expression (${reason})`);
    expect(pattern.message).toContain('turn off "Regular expression"');
  });

  it('takes the text as typed when regular expressions are off', () => {
    const pattern = compileLogPattern('a.b (x', false);
    expect(pattern.kind).toBe('valid');
    if (pattern.kind !== 'valid') return;
    expect(pattern.regex.test('see a.b (x here')).toBe(true);
    expect(pattern.regex.test('aXb (x')).toBe(false);
  });
});

describe('splitByPattern', () => {
  it('marks every match', () => {
    expect(splitByPattern('GET /a 200, GET /b 404', /\d{3}/i)).toEqual([
      { text: 'GET /a ', match: false },
      { text: '200', match: true },
      { text: ', GET /b ', match: false },
      { text: '404', match: true },
    ]);
  });

  it('ends on an empty match instead of looping, and marks nothing for it', () => {
    expect(splitByPattern('abc', /x*/i)).toEqual([{ text: 'abc', match: false }]);
    expect(splitByPattern('', /^/i)).toEqual([{ text: '', match: false }]);
  });
});
