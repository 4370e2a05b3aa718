import { describe, expect, it } from 'vitest';
import { sharedDriveRoots, toWslPath } from './windows-paths.js';

describe('Windows paths in the WSL distribution', () => {
  it('maps a drive path to /mnt/<drive>, lowercased, with forward slashes', () => {
    expect(toWslPath('C:\\Users\\me\\src', 'berth')).toBe('/mnt/c/Users/me/src');
    expect(toWslPath('d:/Work/My Project/', 'berth')).toBe('/mnt/d/Work/My Project');
    expect(toWslPath('C:\\', 'berth')).toBe('/mnt/c');
    expect(toWslPath('E:', 'berth')).toBe('/mnt/e');
    expect(toWslPath('\\\\?\\C:\\very\\long\\path', 'berth')).toBe('/mnt/c/very/long/path');
    expect(toWslPath('C:\\a\\.\\b\\\\c', 'berth')).toBe('/mnt/c/a/b/c');
  });

  it("keeps Linux paths, and reads the distribution's own UNC paths as its own", () => {
    expect(toWslPath('/var/lib/data', 'berth')).toBe('/var/lib/data');
    expect(toWslPath('\\\\wsl$\\berth\\root\\data', 'berth')).toBe('/root/data');
    expect(toWslPath('\\\\wsl.localhost\\Berth\\srv', 'berth')).toBe('/srv');
  });

  it('refuses what the engine cannot see, saying why', () => {
    expect(() => toWslPath('C:relative\\dir', 'berth')).toThrow(/relative to the current folder of drive C:/);
    expect(() => toWslPath('src\\app', 'berth')).toThrow(/not a full Windows path/);
    expect(() => toWslPath('\\\\fileserver\\team\\src', 'berth')).toThrow(/network share/);
    expect(() => toWslPath('\\\\wsl$\\Ubuntu\\home\\me', 'berth')).toThrow(
      /distribution Ubuntu, which Berth's engine does not see/,
    );
    expect(() => toWslPath('C:\\Users\\..\\Windows', 'berth')).toThrow(/goes up/);
  });

  it('lists the drive roots that exist', () => {
    expect(sharedDriveRoots((root) => root === 'C:\\' || root === 'D:\\')).toEqual(['C:\\', 'D:\\']);
    expect(sharedDriveRoots(() => false)).toEqual([]);
  });
});
