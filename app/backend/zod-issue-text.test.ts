import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { plainIssueText } from './zod-issue-text.js';

const textsOf = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error!.issues.map(plainIssueText);

describe('plainIssueText', () => {
  it('says what is allowed instead of zod’s own words', () => {
    const schema = z
      .object({
        name: z.string().max(3),
        required: z.string().min(1),
        count: z.number().int().min(1).max(9),
        list: z.array(z.string()).min(1).max(1),
        mode: z.enum(['shell', 'attach']),
        flag: z.boolean(),
      })
      .strict();
    expect(textsOf(schema, { name: 'abcd', required: '', count: 0.5, list: [], mode: 'x', flag: 'yes' })).toEqual([
      'Too long: at most 3 characters.',
      'Required: it cannot be empty.',
      'Expected a whole number, not a number.',
      'Give at least one.',
      'Must be one of "shell", "attach".',
      'Expected true or false, not a string.',
    ]);
    expect(textsOf(schema, { name: 'a', required: 'b', count: 10, list: ['a', 'b'], mode: 'shell' })).toEqual([
      'Too big: at most 9.',
      'Too many: at most 1.',
      'Missing: true or false is required.',
    ]);
  });

  it('keeps a message the contract wrote itself', () => {
    expect(textsOf(z.number().min(1, 'A port is between 1 and 65535.'), 0)).toEqual(['A port is between 1 and 65535.']);
  });
});
