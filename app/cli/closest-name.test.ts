import { describe, expect, it } from 'vitest';
import { closestName, didYouMean, editDistance } from './closest-name.js';

describe('closestName', () => {
  const names = ['status', 'start', 'stop', 'restart', 'quit', 'context', 'open', 'reset', 'settings', 'diagnose'];

  it('counts edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('finds typos, swaps and a unique start', () => {
    expect(closestName('statsu', names)).toBe('status');
    expect(closestName('strat', names)).toBe('start');
    expect(closestName('setings', names)).toBe('settings');
    expect(closestName('diag', names)).toBe('diagnose');
    expect(closestName('STOP', names)).toBe('stop');
  });

  it('says nothing for what is no typo', () => {
    expect(closestName('xyzzy', names)).toBeNull();
    expect(closestName('deploy-everything', names)).toBeNull();
    expect(closestName('anything', [])).toBeNull();
  });

  it('phrases the hint', () => {
    expect(didYouMean('vm.cpu', ['vm.cpus', 'vm.memoryMiB'])).toBe(' Did you mean vm.cpus?');
    expect(didYouMean('zzz', ['vm.cpus'])).toBe('');
  });
});
