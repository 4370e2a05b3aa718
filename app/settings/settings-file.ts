/**
 * Reading and writing the settings file. Reading never throws: a file that is not JSON, has an unknown
 * key or a wrong value comes back as a problem naming the file, the line when known and the key, so the
 * caller can keep its last good settings. Writing is atomic (temporary file, fsync, rename).
 */
import fs from 'node:fs';
import path from 'node:path';
import { isSettingKey, type SettingKey, type SettingValues } from '../contract/settings-contract.js';
import { jsonErrorOffset } from './json-error-position.js';
import { unknownKeyProblem, valueProblem, type HostLimits } from './setting-problems.js';

export type StoredSettings = Partial<SettingValues>;

export type SettingsRead =
  | { kind: 'missing' }
  | { kind: 'read'; values: StoredSettings }
  | { kind: 'invalid'; problem: string };

/** The 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** The line where `"key"` is written as a property name, or null. */
export function lineOfKey(text: string, key: string): number | null {
  const match = new RegExp(`${JSON.stringify(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`).exec(text);
  return match ? lineAt(text, match.index) : null;
}

/** The line of a JSON.parse error, found by checking the grammar (V8's message does not always say). */
export function jsonErrorLine(text: string, error: Error): number | null {
  const line = /line (\d+)/.exec(error.message);
  if (line) return Number(line[1]);
  const position = /position (\d+)/.exec(error.message)?.[1] ?? jsonErrorOffset(text);
  return position === null ? null : lineAt(text, Number(position));
}

/** Parses and checks the text of a settings file (or of the locked-settings file). */
export function parseSettings(file: string, text: string, limits: HostLimits): SettingsRead {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const line = jsonErrorLine(text, error as Error);
    // V8 quotes the text around the error after the reason; the line says where, more plainly.
    const reason = (error as Error).message.replace(/, (\.\.\.)?"[\s\S]*" is not valid JSON$/, '');
    return { kind: 'invalid', problem: `${file}${line ? ` line ${line}` : ''} is not valid JSON (${reason}).` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { kind: 'invalid', problem: `${file} must hold one JSON object of settings ({"vm.cpus": 2, …}).` };
  }
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (key === '$schema') continue;
    const problem = isSettingKey(key) ? valueProblem(key, value, limits) : unknownKeyProblem(key);
    if (problem) {
      const line = lineOfKey(text, key);
      return { kind: 'invalid', problem: `${file}${line ? ` line ${line}` : ''}: ${problem}` };
    }
    values[key] = value;
  }
  return { kind: 'read', values: values };
}

export function readSettingsFile(file: string, limits: HostLimits): SettingsRead {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'invalid', problem: `${file} cannot be read: ${(error as Error).message}` };
  }
  return parseSettings(file, text, limits);
}

/** Keys in the contract's order, `$schema` first, so a diff of the file stays small. */
export function settingsText(values: StoredSettings, schemaReference: string | null): string {
  const ordered: Record<string, unknown> = schemaReference ? { $schema: schemaReference } : {};
  for (const key of Object.keys(values).sort() as SettingKey[]) {
    if (values[key] !== undefined) ordered[key] = values[key];
  }
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Written to a temporary file, flushed, renamed: a crash leaves the old file or the new one. */
export function writeFileAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temporary, 'w', 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
}
