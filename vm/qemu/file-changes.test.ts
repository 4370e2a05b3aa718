import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileChanges } from './file-changes.js';

let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-changes-'));
  file = path.join(dir, 'console.log');
  fs.writeFileSync(file, '');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('FileChanges', () => {
  it('answers at once the first time, then waits for the next write rather than the timeout', async () => {
    const changes = new FileChanges(file);
    try {
      await changes.next(10_000); // what is there already
      const began = performance.now();
      setTimeout(() => fs.appendFileSync(file, 'BERTH-READY t=1.00\n'), 50);
      await changes.next(10_000);
      const waited = performance.now() - began;
      expect(waited).toBeGreaterThanOrEqual(40);
      expect(waited).toBeLessThan(5_000);
    } finally {
      changes.dispose();
    }
  });

  it('does not lose a write that came while the reader was busy', async () => {
    const changes = new FileChanges(file);
    try {
      await changes.next(10_000);
      fs.appendFileSync(file, 'BERTH-STEP disk t=1.00\n');
      await new Promise((resolve) => setTimeout(resolve, 100)); // the reader is elsewhere meanwhile
      const began = performance.now();
      await changes.next(10_000);
      expect(performance.now() - began).toBeLessThan(50);
    } finally {
      changes.dispose();
    }
  });

  it('falls back to the timeout when nothing is written, or the file cannot be watched', async () => {
    const missing = new FileChanges(path.join(dir, 'absent.log'));
    await missing.next(10);
    const began = performance.now();
    await missing.next(30);
    expect(performance.now() - began).toBeGreaterThanOrEqual(25);
    missing.dispose();
  });
});
