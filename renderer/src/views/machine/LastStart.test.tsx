import { describe, expect, it } from 'vitest';
import { lastStartText } from './LastStart';

describe('lastStartText', () => {
  it('says how the last start went, with the snapshot size and how long its state took', () => {
    expect(lastStartText({ start: 'restored', note: null, storedBytes: 282_000_000, stateMs: 1_729 })).toBe(
      'restored from its boot snapshot (269 MiB loaded, 1.7 s)',
    );
    expect(lastStartText({ start: 'saved', note: null, storedBytes: 300_676_707, stateMs: 2_044 })).toBe(
      'booted cold and saved a boot snapshot for the next start (287 MiB, 2.0 s)',
    );
    expect(
      lastStartText({ start: 'cold', note: 'This start could not use a boot snapshot: …', storedBytes: 0, stateMs: null }),
    ).toBe('booted cold');
  });
});
