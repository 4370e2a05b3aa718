/**
 * Where the engines the user added, and the one in use, are kept: a small JSON file in Berth's state
 * folder (engines.json), behind an interface, so the settings file can take it over later without the
 * registry noticing. A damaged file is set aside (engines.json.damaged), never silently overwritten.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { TlsPathsSchema } from '../contract/engines-contract.js';

const SavedEngineSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/),
  name: z.string(),
  address: z.string(),
  tls: TlsPathsSchema.nullable(),
});

const SavedEnginesSchema = z.object({
  version: z.literal(1),
  /** The engine chosen last; null: the one Berth starts with. */
  active: z.string().nullable(),
  engines: z.array(SavedEngineSchema),
});

export type SavedEngine = z.output<typeof SavedEngineSchema>;
export type SavedEngines = z.output<typeof SavedEnginesSchema>;

export interface EngineListStore {
  load(): SavedEngines;
  save(engines: SavedEngines): void;
}

const EMPTY: SavedEngines = { version: 1, active: null, engines: [] };

export function createFileEngineListStore(path: string): EngineListStore {
  return {
    load() {
      if (!existsSync(path)) return structuredClone(EMPTY);
      try {
        return SavedEnginesSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
      } catch (error) {
        renameSync(path, `${path}.damaged`);
        console.warn(
          `Berth: ${path} could not be read (${(error as Error).message.split('\n')[0]}); kept it as ${path}.damaged.`,
        );
        return structuredClone(EMPTY);
      }
    },
    save(engines) {
      // Written whole, then renamed: a crash mid-write leaves the old file, not half a new one.
      writeFileSync(`${path}.tmp`, `${JSON.stringify(engines, null, 2)}\n`, { mode: 0o600 });
      renameSync(`${path}.tmp`, path);
    },
  };
}

export function createMemoryEngineListStore(initial: SavedEngines = EMPTY): EngineListStore {
  let saved = structuredClone(initial);
  return {
    load: () => structuredClone(saved),
    save(engines) {
      saved = structuredClone(engines);
    },
  };
}
