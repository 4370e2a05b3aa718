import { describe, expect, it } from 'vitest';
import { previewText } from './volume-browser.js';

describe('previewText', () => {
  it('decodes text, even when the preview cuts a character in two', () => {
    expect(previewText(Buffer.from('hello\n'))).toBe('hello\n');
    const cut = Buffer.from('é', 'utf8').subarray(0, 1);
    expect(previewText(Buffer.concat([Buffer.from('ab'), cut]))).toBe('ab');
  });

  it('calls bytes with NULs or invalid UTF-8 binary', () => {
    expect(previewText(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00]))).toBeNull();
    expect(previewText(Buffer.from([0xff, 0xfe, 0x41]))).toBeNull();
  });
});
