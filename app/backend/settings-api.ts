/**
 * The settings part of the contract's implementation, over app/settings' SettingsService, and the
 * diagnostics archive of the system part. A refused value reaches the UI and the command as it is.
 */
import { subscribeToQueue } from '../../base/index.js';
import { EngineError } from '../../engine/core/index.js';
import type { DiagnosticsArchive, SettingsListing } from '../contract/settings-contract.js';
import type { SettingsService } from '../settings/index.js';
import type { BerthImplementation } from './implementation.js';

/** What the app adds beyond the engine: its settings file and the diagnostics archive. */
export interface AppFacilities {
  settings: SettingsService | null;
  diagnose: (() => Promise<DiagnosticsArchive>) | null;
}

const NOT_HERE = 'Settings are not available in this Berth (it runs without a state folder).';

function requireSettings(settings: SettingsService | null): SettingsService {
  if (!settings) throw new EngineError('invalid-argument', NOT_HERE);
  return settings;
}

export function createSettingsImplementation(settings: SettingsService | null): BerthImplementation['settings'] {
  return {
    list: async () => requireSettings(settings).list(),
    set: async ({ key, value }) => {
      try {
        return await requireSettings(settings).set(key, value);
      } catch (error) {
        if (error instanceof EngineError) throw error;
        throw new EngineError('invalid-argument', error instanceof Error ? error.message : String(error));
      }
    },
    watch: (_args, _peer, signal) => {
      const service = requireSettings(settings);
      // keep-latest: a slow page gets the newest listing, never a backlog of old ones.
      const options = { capacity: 1, overflow: 'keep-latest', signal, initial: service.list() } as const;
      return subscribeToQueue<SettingsListing>(options, (queue) => service.onChange((listing) => queue.push(listing)));
    },
  };
}

export async function diagnoseWith(diagnose: AppFacilities['diagnose']): Promise<DiagnosticsArchive> {
  if (!diagnose) throw new EngineError('invalid-argument', 'Diagnostics are not available in this Berth.');
  return diagnose();
}
