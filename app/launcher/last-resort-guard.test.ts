import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LAST_RESORT_MARK } from './last-resort-guard.js';

const run = promisify(execFile);

describe('the last-resort guard', () => {
  it('keeps a real process alive through an unlistened error event, a throw in a timer and an unawaited rejection', async () => {
    const tsx = join(import.meta.dirname, '../../node_modules/.bin/tsx');
    const { stdout, stderr } = await run(tsx, [join(import.meta.dirname, 'testing/guarded-process.ts')], { timeout: 30_000 });
    expect(stdout.trim()).toBe('still here');
    const reports = stderr.split('\n').filter((line) => line.startsWith(LAST_RESORT_MARK));
    expect(reports).toHaveLength(3);
    expect(stderr).toContain('a socket error nobody listened to');
    expect(stderr).toContain('a throw in a timer');
    expect(stderr).toContain('a rejection nobody awaited');
  });
});
