import { describe, expect, it } from 'vitest';
import { permissionString } from './file-modes.js';

describe('permissionString', () => {
  it('writes permissions as ls does, with setuid, setgid and sticky', () => {
    expect(permissionString(0o100640)).toBe('rw-r-----');
    expect(permissionString(0o104755)).toBe('rwsr-xr-x');
    expect(permissionString(0o102644)).toBe('rw-r-Sr--');
    expect(permissionString(0o041777)).toBe('rwxrwxrwt');
  });
});
