/** Settings as code: one file, its schema, the administrator's locked file, and the live store over them. */
export { openSettings, type OpenSettingsOptions } from './open-settings.js';
export { SettingsError, SettingsService, type ApplyVmSettings, type SettingsServiceOptions } from './settings-service.js';
export { lockedSettingsPath, settingsFilePath } from './settings-locations.js';
export { settingsJsonSchemaText } from './settings-json-schema.js';
export { closestKey, valueProblem, type HostLimits } from './setting-problems.js';
export type { VmSettingsShape } from './vm-settings-keys.js';
