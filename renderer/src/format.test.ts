import { describe, expect, it } from 'vitest';
import { formatAge, formatBytes, shortId } from './format';

describe('format', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1_000, '1.0 kB'],
    [2_048_000, '2.0 MB'],
    [123_456_789, '123 MB'],
    [5_000_000_000, '5.0 GB'],
  ])('formatBytes(%d) is %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));

  it('formatAge counts back from now', () => {
    const now = 1_000_000_000_000;
    expect(formatAge(now / 1000 - 5, now)).toBe('5 s ago');
    expect(formatAge(now / 1000 - 600, now)).toBe('10 min ago');
    expect(formatAge(now / 1000 - 7200, now)).toBe('2 h ago');
    expect(formatAge(now / 1000 - 86400 * 3, now)).toBe('3 days ago');
    expect(formatAge(now / 1000 + 10, now)).toBe('0 s ago');
  });

  it('shortId drops the digest prefix and keeps 12 characters', () => {
    expect(shortId('sha256:0123456789abcdef0123')).toBe('0123456789ab');
    expect(shortId('fedcba9876543210')).toBe('fedcba987654');
  });
});
