/**
 * Opens Berth's settings at launch: writes the JSON Schema beside the file (the file's `$schema` points
 * at it, so an editor validates what the user types), moves the VM's own settings file of an older
 * Berth into the one file (every value kept; the old file renamed to settings.json.migrated), and
 * creates the file when there is none, so the user finds it where the UI says it is.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  defaultVmSettings,
  hostCapacity,
  loadVmSettings,
  maxVmMemoryMiB,
  SETTINGS_FILE as VM_SETTINGS_FILE,
} from '../../vm/settings/vm-settings.js';
import type { SettingValues } from '../contract/settings-contract.js';
import { MIGRATED_SUFFIX, SETTINGS_SCHEMA_FILE_NAME, lockedSettingsPath, settingsFilePath } from './settings-locations.js';
import { settingsText, writeFileAtomically } from './settings-file.js';
import { settingsJsonSchemaText } from './settings-json-schema.js';
import { SettingsService } from './settings-service.js';
import { fromVmSettings } from './vm-settings-keys.js';

export interface OpenSettingsOptions {
  /** Berth's state folder: settings.json and settings.schema.json go here. */
  stateDir: string;
  /** The VM's state folder, where an older Berth kept the VM's settings.json. */
  vmStateDir: string;
  lockedFile?: string;
  debounceMs?: number;
}

export function openSettings(options: OpenSettingsOptions): SettingsService {
  const file = settingsFilePath(options.stateDir);
  const schemaFile = path.join(options.stateDir, SETTINGS_SCHEMA_FILE_NAME);
  const schema = settingsJsonSchemaText();
  if (!fs.existsSync(schemaFile) || fs.readFileSync(schemaFile, 'utf8') !== schema) writeFileAtomically(schemaFile, schema);
  const schemaReference = `./${SETTINGS_SCHEMA_FILE_NAME}`;
  if (!fs.existsSync(file)) migrateVmSettings(options.vmStateDir, file, schemaReference);

  const host = hostCapacity();
  const defaults: SettingValues = fromVmSettings(defaultVmSettings(host));
  return new SettingsService({
    file,
    lockedFile: options.lockedFile ?? lockedSettingsPath(),
    defaults,
    limits: { maxCpus: host.cpus, maxMemoryMiB: maxVmMemoryMiB(host) },
    schemaReference,
    debounceMs: options.debounceMs,
  });
}

/** The older VM settings file's values under their dotted keys (none when there is no such file). */
export function migrateVmSettings(vmStateDir: string, file: string, schemaReference: string): void {
  const legacy = path.join(vmStateDir, VM_SETTINGS_FILE);
  if (!fs.existsSync(legacy)) {
    writeFileAtomically(file, settingsText({}, schemaReference));
    return;
  }
  const values: Partial<ReturnType<typeof fromVmSettings>> = fromVmSettings(loadVmSettings(vmStateDir));
  // The older file never had a rest time: its default is not written, so a later default still applies.
  delete values['vm.restAfterMinutes'];
  writeFileAtomically(file, settingsText(values, schemaReference));
  fs.renameSync(legacy, `${legacy}${MIGRATED_SUFFIX}`);
}
