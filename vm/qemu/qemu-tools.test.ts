import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VmError } from '../vm-error.js';
import { requireQemuTools } from './qemu-tools.js';

const made: string[] = [];
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function binDir(names: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bin-'));
  made.push(dir);
  for (const name of names) fs.writeFileSync(path.join(dir, name), '#!/bin/sh\n', { mode: 0o755 });
  return dir;
}

describe('requireQemuTools', () => {
  it('names the Debian package when QEMU is missing', () => {
    const dir = binDir([]);
    expect(() => requireQemuTools(dir, 'linux')).toThrow(VmError);
    expect(() => requireQemuTools(dir, 'linux')).toThrow(
      "QEMU is not installed (no qemu-system-x86_64). Install it with: sudo apt-get install qemu-system-x86 (Debian, Ubuntu), or your distribution's QEMU package.",
    );
  });

  it('names qemu-system-arm for an arm64 guest', () => {
    expect(() => requireQemuTools(binDir(['qemu-system-x86_64', 'qemu-img']), 'linux', 'arm64')).toThrow(
      /^QEMU is not installed \(no qemu-system-aarch64\)\. Install it with: sudo apt-get install qemu-system-arm /,
    );
  });

  it('says brew on macOS', () => {
    expect(() => requireQemuTools(binDir([]), 'darwin')).toThrow('Install it with: brew install qemu.');
  });

  it('names qemu-utils when only qemu-img is missing', () => {
    expect(() => requireQemuTools(binDir(['qemu-system-x86_64']), 'linux')).toThrow(/no qemu-img\).*qemu-utils/);
  });

  it('finds both on PATH', () => {
    const dir = binDir(['qemu-system-x86_64', 'qemu-img']);
    expect(requireQemuTools(`/nonexistent:${dir}`, 'linux')).toEqual({
      qemuSystem: path.join(dir, 'qemu-system-x86_64'),
      qemuImg: path.join(dir, 'qemu-img'),
    });
  });
});
