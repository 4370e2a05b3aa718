/**
 * The settings as the app sees them: the stored values with this computer's limits (for a form), and
 * an update that checks everything, stores it, and says whether the running VM must restart.
 */
import { checkSharedFolders } from '../folders/shared-folders.js';
import { readDiskFacts } from './data-disk.js';
import { effectiveSettings } from './prepare-boot.js';
import {
  hostCapacity,
  maxVmMemoryMiB,
  needsRestart,
  validateVmSettings,
  type HostCapacity,
  type VmSettings,
  type VmSettingsSource,
} from './vm-settings.js';

export interface VmSettingsView {
  settings: VmSettings;
  limits: { maxCpus: number; maxMemoryMiB: number };
}

export function vmSettingsView(
  source: VmSettingsSource,
  override: Partial<VmSettings> = {},
  host: HostCapacity = hostCapacity(),
): VmSettingsView {
  return { settings: effectiveSettings(source, override), limits: { maxCpus: host.cpus, maxMemoryMiB: maxVmMemoryMiB(host) } };
}

export interface SettingsUpdate {
  source: VmSettingsSource;
  diskPath: string;
  next: VmSettings;
  /** The settings the running VM booted with; null when it is not running (nothing to restart). */
  applied: VmSettings | null;
  host?: HostCapacity;
  /** The qemu-img found at the last start (Homebrew's is not on a Dock-started app's PATH); PATH's otherwise. */
  qemuImg?: string;
}

/** Throws a VmError (nothing stored) when a value cannot apply; a missing shared folder is refused here too. */
export async function updateVmSettings(update: SettingsUpdate): Promise<{ settings: VmSettings; needsRestart: boolean }> {
  checkSharedFolders(update.next.sharedFolders);
  const disk = await readDiskFacts(update.diskPath, update.qemuImg);
  const settings = validateVmSettings(update.next, update.host ?? hostCapacity(), disk);
  update.source.save(settings);
  return { settings, needsRestart: update.applied ? needsRestart(update.applied, settings, disk) : false };
}
