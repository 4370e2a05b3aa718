/**
 * The administrator's locked-settings file: the same keys as the user's settings file; every key it
 * sets wins over the user's value, is shown disabled in the UI, and cannot be set. A locked file that
 * is not valid locks nothing and says so (Berth must not start with half of an administrator's intent
 * silently applied, nor refuse to start).
 */
import fs from 'node:fs';
import { readSettingsFile, type StoredSettings } from './settings-file.js';
import type { HostLimits } from './setting-problems.js';

export interface LockedSettings {
  exists: boolean;
  values: StoredSettings;
  /** Why the file was ignored, or null. */
  problem: string | null;
}

export function mergeLocked(file: string, limits: HostLimits): LockedSettings {
  const read = readSettingsFile(file, limits);
  if (read.kind === 'missing') return { exists: false, values: {}, problem: null };
  if (read.kind === 'invalid') {
    return { exists: fs.existsSync(file), values: {}, problem: `The locked settings are ignored: ${read.problem}` };
  }
  return { exists: true, values: read.values, problem: null };
}

export function lockProblem(key: string, lockedFile: string): string {
  return `${key} is locked by your administrator in ${lockedFile}.`;
}
