import { describe, expect, it } from 'vitest';
import { linkOpener } from './open.js';

describe('linkOpener', () => {
  it('opens where there is a desktop, and prints where there is none', () => {
    expect(linkOpener('darwin', {})).toBe('open');
    expect(linkOpener('linux', { DISPLAY: ':0' })).toBe('xdg-open');
    expect(linkOpener('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBe('xdg-open');
    expect(linkOpener('linux', {})).toBeNull();
  });
});
