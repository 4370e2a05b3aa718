/**
 * What is wrong with a key or a value, as a sentence a person can act on: the closest known key for a
 * typo, the range (narrowed to this computer) for a number out of it, the expected type otherwise.
 */
import { z } from 'zod';
import { SETTING_DEFINITIONS, SETTING_KEYS, isSettingKey, type SettingKey } from '../contract/settings-contract.js';

/** What this computer allows, which narrows the static bounds of the schema. */
export interface HostLimits {
  maxCpus: number;
  maxMemoryMiB: number;
}

/** Edit distance (insertions, deletions, substitutions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const substitution = previous[j - 1]! + (left[i - 1] === right[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length]!;
}

/** The known key nearest to a mistyped one, or null when none is close enough to be what was meant. */
export function closestKey(key: string, known: readonly string[] = SETTING_KEYS): string | null {
  let best: { key: string; distance: number } | null = null;
  for (const candidate of known) {
    // "cpus" for "vm.cpus": the last part alone is a fair guess too.
    const distance = Math.min(editDistance(key, candidate), editDistance(key, candidate.split('.').at(-1)!) + 1);
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(key.length / 3)) ? best.key : null;
}

export function unknownKeyProblem(key: string): string {
  const closest = closestKey(key);
  return closest
    ? `Unknown setting ${key}; did you mean ${closest}?`
    : `Unknown setting ${key}; the settings are ${SETTING_KEYS.join(', ')}.`;
}

/** The range a number setting may take on this computer; null for settings that are not numbers. */
export function numberRange(key: SettingKey, limits: HostLimits): { min: number; max: number } | null {
  const schema: z.ZodType = SETTING_DEFINITIONS[key].schema;
  if (!(schema instanceof z.ZodNumber)) return null;
  const min = schema.minValue ?? 0;
  let max = schema.maxValue ?? Number.MAX_SAFE_INTEGER;
  if (key === 'vm.cpus') max = Math.min(max, limits.maxCpus);
  if (key === 'vm.memoryMiB') max = Math.min(max, limits.maxMemoryMiB);
  return { min, max };
}

/** Why `value` cannot be the value of `key` on this computer, or null when it can. */
export function valueProblem(key: string, value: unknown, limits: HostLimits): string | null {
  if (!isSettingKey(key)) return unknownKeyProblem(key);
  const range = numberRange(key, limits);
  if (range) {
    const fits = typeof value === 'number' && Number.isInteger(value) && value >= range.min && value <= range.max;
    return fits ? null : `${key} must be a whole number from ${range.min} to ${range.max}; it is ${describe(value)}.`;
  }
  const schema: z.ZodType = SETTING_DEFINITIONS[key].schema;
  const parsed = schema.safeParse(value);
  if (parsed.success) return null;
  if (schema instanceof z.ZodBoolean) return `${key} must be true or false; it is ${describe(value)}.`;
  if (!Array.isArray(value)) return `${key} must be a list of absolute folder paths; it is ${describe(value)}.`;
  const issue = parsed.error.issues[0]!;
  const where = typeof issue.path[0] === 'number' ? ` (item ${issue.path[0] + 1})` : '';
  return `${key}${where}: ${issue.message}`;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
