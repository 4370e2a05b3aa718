/**
 * The settings file's JSON Schema, generated from the contract's zod schemas: `npm run settings:schema`
 * writes it to app/settings/settings.schema.json (shipped, and checked fresh by a unit test), and Berth
 * writes the same text beside the user's settings file, which points at it with `$schema`.
 */
import { z } from 'zod';
import { SettingsFileSchema } from '../contract/settings-contract.js';

export const SHIPPED_SCHEMA_PATH = 'app/settings/settings.schema.json';

export function settingsJsonSchemaText(): string {
  const schema = z.toJSONSchema(SettingsFileSchema, { target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, title: 'Berth settings' }, null, 2)}\n`;
}
