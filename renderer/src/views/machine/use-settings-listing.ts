/**
 * The settings as the app holds them, pushed by its settings.watch stream: the form follows an edit of
 * the settings file (or a `berth settings set`) as it happens, without polling. Disposed on unmount.
 */
import { useEffect, useState } from 'react';
import type { SettingsListing } from '../../../../app/contract/settings-contract';
import { useApi } from '../../api/api-context';

export function useSettingsListing(): SettingsListing | undefined {
  const api = useApi();
  const [listing, setListing] = useState<SettingsListing>();
  useEffect(() => {
    const subscription = api.settings.watch({}, { next: setListing });
    return () => subscription.dispose();
  }, [api]);
  return listing;
}

/** The VM form's fields by their settings key. */
export const VM_FIELD_KEYS = {
  cpus: 'vm.cpus',
  memoryMiB: 'vm.memoryMiB',
  diskGiB: 'vm.diskGiB',
  sharedFolders: 'vm.sharedFolders',
  startOnLaunch: 'vm.startOnLaunch',
  restAfterMinutes: 'vm.restAfterMinutes',
} as const;

export type VmField = keyof typeof VM_FIELD_KEYS;

export function isLocked(listing: SettingsListing | undefined, field: VmField): boolean {
  return listing?.entries.some((entry) => entry.key === VM_FIELD_KEYS[field] && entry.locked) ?? false;
}
