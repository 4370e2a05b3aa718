import { describe, expect, it } from 'vitest';
import { jsonErrorLine, lineOfKey, parseSettings, settingsText } from './settings-file.js';

const limits = { maxCpus: 4, maxMemoryMiB: 6144 };
const FILE = '/home/me/.local/state/berth/settings.json';

describe('parseSettings', () => {
  it('reads the dotted keys and ignores $schema', () => {
    const text = '{\n  "$schema": "./settings.schema.json",\n  "vm.cpus": 3,\n  "vm.startOnLaunch": false\n}\n';
    expect(parseSettings(FILE, text, limits)).toEqual({ kind: 'read', values: { 'vm.cpus': 3, 'vm.startOnLaunch': false } });
  });

  it('names the file, the line and the key of a wrong value', () => {
    const text = '{\n  "vm.cpus": 2,\n  "vm.memoryMiB": 99\n}\n';
    expect(parseSettings(FILE, text, limits)).toEqual({
      kind: 'invalid',
      problem: `${FILE} line 3: vm.memoryMiB must be a whole number from 512 to 6144; it is 99.`,
    });
  });

  it('names the closest key of an unknown one, with its line', () => {
    const result = parseSettings(FILE, '{\n\n  "vm.cpu": 2\n}', limits);
    expect(result).toEqual({ kind: 'invalid', problem: `${FILE} line 3: Unknown setting vm.cpu; did you mean vm.cpus?` });
  });

  it('names the line of a JSON syntax error', () => {
    const result = parseSettings(FILE, '{\n  "vm.cpus": 2,\n  "vm.diskGiB": ,\n}', limits);
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' && result.problem).toMatch(new RegExp(`^${FILE} line 3 is not valid JSON \\(`));
  });

  it('refuses anything but an object', () => {
    const result = parseSettings(FILE, '[1]', limits);
    expect(result.kind === 'invalid' && result.problem).toMatch(/must hold one JSON object/);
  });
});

describe('line helpers', () => {
  it('finds a key and a JSON error position', () => {
    expect(lineOfKey('{\n "a.b": 1,\n "vm.cpus" : 2}', 'vm.cpus')).toBe(3);
    expect(lineOfKey('{"vmXcpus": 2}', 'vm.cpus')).toBeNull();
    expect(jsonErrorLine('{\n\n x', new Error('Unexpected token x in JSON at position 4'))).toBe(3);
    expect(jsonErrorLine('', new Error('Expected property name (line 7 column 2)'))).toBe(7);
    expect(jsonErrorLine('{\n "a": 1,\n}', new Error('Unexpected token'))).toBe(3);
    expect(jsonErrorLine('{\n "a": [1,\n 2\n', new Error('Unexpected end'))).toBe(4);
    expect(jsonErrorLine('{\n "a": tru }', new Error('Unexpected token'))).toBe(2);
  });

  it('writes $schema first and keys in order', () => {
    expect(settingsText({ 'vm.memoryMiB': 1024, 'vm.cpus': 2 }, './s.json')).toBe(
      '{\n  "$schema": "./s.json",\n  "vm.cpus": 2,\n  "vm.memoryMiB": 1024\n}\n',
    );
  });
});
