import { describe, expect, it } from 'vitest';
import { engineStatusText } from './engine-status-text';

describe('engineStatusText', () => {
  it('says each status in one line', () => {
    expect(engineStatusText({ kind: 'checking' })).toBe('Checking…');
    expect(engineStatusText({ kind: 'reachable', version: '26.1.5', apiVersion: '1.45' })).toBe(
      'Reachable · Docker 26.1.5 (API 1.45)',
    );
    expect(engineStatusText({ kind: 'unreachable', reason: 'Cannot reach ssh://me@h: Permission denied (publickey).' })).toBe(
      'Unreachable: Cannot reach ssh://me@h: Permission denied (publickey).',
    );
  });
});
