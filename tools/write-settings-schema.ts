/** Writes the settings file's JSON Schema (generated from the contract) to the shipped file. */
import { writeFileSync } from 'node:fs';
import { SHIPPED_SCHEMA_PATH, settingsJsonSchemaText } from '../app/settings/settings-json-schema.js';

writeFileSync(SHIPPED_SCHEMA_PATH, settingsJsonSchemaText());
console.log(`Wrote ${SHIPPED_SCHEMA_PATH}`);
