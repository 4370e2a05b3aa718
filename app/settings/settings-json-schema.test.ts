import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SHIPPED_SCHEMA_PATH, settingsJsonSchemaText } from './settings-json-schema.js';

describe('the shipped settings schema', () => {
  it('is what the contract generates now (run `npm run settings:schema` after changing a setting)', () => {
    expect(readFileSync(SHIPPED_SCHEMA_PATH, 'utf8')).toBe(settingsJsonSchemaText());
  });

  it('describes every setting with its bounds and allows no other key', () => {
    const schema = JSON.parse(settingsJsonSchemaText()) as {
      additionalProperties: boolean;
      properties: Record<string, { type?: string; minimum?: number; maximum?: number; description?: string }>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties).sort()).toEqual(
      ['$schema', 'vm.cpus', 'vm.diskGiB', 'vm.memoryMiB', 'vm.sharedFolders', 'vm.startOnLaunch', 'vm.restAfterMinutes'].sort(),
    );
    expect(schema.properties['vm.restAfterMinutes']).toMatchObject({ type: 'integer', minimum: 0, maximum: 1440 });
    expect(schema.properties['vm.cpus']).toMatchObject({ type: 'integer', minimum: 1, maximum: 256 });
    expect(schema.properties['vm.startOnLaunch']).toMatchObject({ type: 'boolean' });
    expect(schema.properties['vm.cpus']?.description).toMatch(/CPUs/);
  });
});
