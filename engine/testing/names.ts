import { randomBytes } from 'node:crypto';

/** A name no other test (or earlier run) uses, so tests can share one engine and clean up exactly what they made. */
export function uniqueName(purpose: string): string {
  return `berth-test-${purpose}-${randomBytes(4).toString('hex')}`;
}
