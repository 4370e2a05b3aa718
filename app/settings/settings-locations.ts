/**
 * Where the settings live. The user's file sits in Berth's state folder (created 0700, checked to be the
 * user's own), with the generated JSON Schema beside it. The administrator's locked-settings file sits
 * where only an administrator can write:
 *   Linux   /etc/berth/locked-settings.json
 *   macOS   /Library/Application Support/Berth/locked-settings.json
 *   Windows %ProgramData%\Berth\locked-settings.json
 * BERTH_LOCKED_SETTINGS_FILE names another one (tests; a managed install that keeps it elsewhere).
 */
import path from 'node:path';

export const SETTINGS_FILE_NAME = 'settings.json';
export const SETTINGS_SCHEMA_FILE_NAME = 'settings.schema.json';
/** The VM's own settings file before settings as code: migrated once, then renamed to this. */
export const MIGRATED_SUFFIX = '.migrated';

export function settingsFilePath(stateDir: string): string {
  return path.join(stateDir, SETTINGS_FILE_NAME);
}

export function lockedSettingsPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (env.BERTH_LOCKED_SETTINGS_FILE) return env.BERTH_LOCKED_SETTINGS_FILE;
  if (platform === 'darwin') return '/Library/Application Support/Berth/locked-settings.json';
  if (platform === 'win32') return path.win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Berth', 'locked-settings.json');
  return '/etc/berth/locked-settings.json';
}
