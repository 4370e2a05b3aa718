import { describe, expect, it } from 'vitest';
import { closestKey, editDistance, valueProblem } from './setting-problems.js';

const limits = { maxCpus: 2, maxMemoryMiB: 6144 };

describe('closestKey', () => {
  it('finds the setting a typo meant', () => {
    expect(closestKey('vm.cpu')).toBe('vm.cpus');
    expect(closestKey('vm.memoryMib')).toBe('vm.memoryMiB');
    expect(closestKey('vm.startonlaunch')).toBe('vm.startOnLaunch');
    expect(closestKey('cpus')).toBe('vm.cpus');
  });

  it('suggests nothing for a name far from every setting', () => {
    expect(closestKey('kubernetes.enabled')).toBeNull();
  });

  it('counts edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('valueProblem', () => {
  it('names the closest key of an unknown one', () => {
    expect(valueProblem('vm.cpu', 2, limits)).toBe('Unknown setting vm.cpu; did you mean vm.cpus?');
    expect(valueProblem('gpu', 2, limits)).toMatch(/^Unknown setting gpu; the settings are vm\.cpus, /);
  });

  it('names the range narrowed to this computer', () => {
    expect(valueProblem('vm.cpus', 3, limits)).toBe('vm.cpus must be a whole number from 1 to 2; it is 3.');
    expect(valueProblem('vm.cpus', 1.5, limits)).toMatch(/^vm\.cpus must be a whole number from 1 to 2/);
    expect(valueProblem('vm.cpus', 'two', limits)).toBe('vm.cpus must be a whole number from 1 to 2; it is "two".');
    expect(valueProblem('vm.memoryMiB', 256, limits)).toMatch(/^vm\.memoryMiB must be a whole number from 512 to 6144/);
    expect(valueProblem('vm.cpus', 2, limits)).toBeNull();
    expect(valueProblem('vm.restAfterMinutes', 2000, limits)).toBe(
      'vm.restAfterMinutes must be a whole number from 0 to 1440; it is 2000.',
    );
    expect(valueProblem('vm.restAfterMinutes', 0, limits)).toBeNull();
  });

  it('says what a boolean and a folder list must be', () => {
    expect(valueProblem('vm.startOnLaunch', 'yes', limits)).toBe('vm.startOnLaunch must be true or false; it is "yes".');
    expect(valueProblem('vm.sharedFolders', '/home', limits)).toMatch(/must be a list of absolute folder paths/);
    expect(valueProblem('vm.sharedFolders', ['/home', 'relative'], limits)).toBe(
      'vm.sharedFolders (item 2): A shared folder must be an absolute path.',
    );
    expect(valueProblem('vm.sharedFolders', ['/home'], limits)).toBeNull();
  });
});
