import { describe, expect, it } from 'vitest';
import { navigationButtonOf, navigationKeyOf, type KeyLike } from './navigation-keys';

const key = (init: Partial<KeyLike> & { key: string }): KeyLike => ({
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  defaultPrevented: false,
  ...init,
});
const pc = { mac: false, inTextField: false };
const mac = { mac: true, inTextField: false };

describe('navigationKeyOf', () => {
  it('opens the palette with Ctrl-K, or Cmd-K on a Mac, and not with other modifiers', () => {
    expect(navigationKeyOf(key({ key: 'k', ctrlKey: true }), pc)).toBe('palette');
    expect(navigationKeyOf(key({ key: 'K', ctrlKey: true }), pc)).toBe('palette');
    expect(navigationKeyOf(key({ key: 'k', metaKey: true }), mac)).toBe('palette');
    expect(navigationKeyOf(key({ key: 'k', metaKey: true }), pc)).toBeNull();
    expect(navigationKeyOf(key({ key: 'k', ctrlKey: true, shiftKey: true }), pc)).toBeNull();
    expect(navigationKeyOf(key({ key: 'k' }), pc)).toBeNull();
  });

  it('goes back and forward with Alt-arrows, also from a text field except on a Mac', () => {
    expect(navigationKeyOf(key({ key: 'ArrowLeft', altKey: true }), pc)).toBe('back');
    expect(navigationKeyOf(key({ key: 'ArrowRight', altKey: true }), pc)).toBe('forward');
    expect(navigationKeyOf(key({ key: 'ArrowLeft', altKey: true }), { mac: false, inTextField: true })).toBe('back');
    expect(navigationKeyOf(key({ key: 'ArrowLeft', altKey: true }), { mac: true, inTextField: true })).toBeNull();
    expect(navigationKeyOf(key({ key: 'ArrowLeft', altKey: true, shiftKey: true }), pc)).toBeNull();
    expect(navigationKeyOf(key({ key: 'ArrowLeft' }), pc)).toBeNull();
  });

  it('takes Cmd-[ and Cmd-] as Back and Forward on a Mac only', () => {
    expect(navigationKeyOf(key({ key: '[', metaKey: true }), mac)).toBe('back');
    expect(navigationKeyOf(key({ key: ']', metaKey: true }), mac)).toBe('forward');
    expect(navigationKeyOf(key({ key: '[', metaKey: true }), pc)).toBeNull();
  });

  it('leaves a key someone handled already alone (the terminal sends Ctrl-K and Alt-← to its shell)', () => {
    expect(navigationKeyOf(key({ key: 'k', ctrlKey: true, defaultPrevented: true }), pc)).toBeNull();
    expect(navigationKeyOf(key({ key: 'ArrowLeft', altKey: true, defaultPrevented: true }), pc)).toBeNull();
  });
});

describe('navigationButtonOf', () => {
  it('maps the mouse back and forward buttons, and nothing else', () => {
    expect(navigationButtonOf(3)).toBe('back');
    expect(navigationButtonOf(4)).toBe('forward');
    expect([0, 1, 2].map(navigationButtonOf)).toEqual([null, null, null]);
  });
});
