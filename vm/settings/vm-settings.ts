/**
 * The VM's settings: CPUs, memory, disk size, shared folders, and whether Berth starts the VM when it
 * launches. Stored as JSON in the VM's state directory (settings.json, written atomically), validated
 * against this computer with messages a person can act on, and compared to say what needs a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { normalizeFolder, sharedFoldersProblems } from '../folders/shared-folders.js';
import { DEFAULT_REST_AFTER_MINUTES, restAfterMinutesProblem } from '../rest/rest-policy.js';
import { VmError } from '../vm-error.js';

export interface VmSettings {
  cpus: number;
  memoryMiB: number;
  diskGiB: number;
  /** Host folders visible in the VM at the same path (bind mounts). The home folder by default. */
  sharedFolders: string[];
  startOnLaunch: boolean;
  /** Minutes without a running container or an engine request before the VM rests (rest/); 0: never. */
  restAfterMinutes: number;
}

/** What this computer has, for the limits (a parameter so tests need not depend on the machine). */
export interface HostCapacity {
  cpus: number;
  memoryMiB: number;
}

/** What the data disk holds now, for the disk size limit; null when there is no disk yet. */
export interface DiskFacts {
  /** Bytes the disk takes on the host (qemu-img actual-size): never less than what the guest stored. */
  usedBytes: number;
  /** The disk's current virtual size. */
  virtualBytes: number;
}

export const SETTINGS_FILE = 'settings.json';
export const MIN_MEMORY_MIB = 512;
const GIB = 1024 ** 3;
/** The default VM is modest: 2 GiB runs dockerd and a few containers; users raise it in settings. */
const DEFAULT_MEMORY_MIB = 2048;
const DEFAULT_DISK_GIB = 64;

export function hostCapacity(): HostCapacity {
  return { cpus: os.availableParallelism(), memoryMiB: Math.floor(os.totalmem() / 1024 ** 2) };
}

/**
 * Memory this computer keeps for itself: a quarter, at most 2 GiB. A VM that takes nearly all of it
 * makes the host swap (or the OOM killer pick QEMU), which looks like a hung VM.
 */
export function hostMemoryMarginMiB(host: HostCapacity): number {
  return Math.min(2048, Math.floor(host.memoryMiB / 4));
}

export function maxVmMemoryMiB(host: HostCapacity): number {
  return host.memoryMiB - hostMemoryMarginMiB(host);
}

export function defaultVmSettings(host: HostCapacity = hostCapacity(), home: string = os.homedir()): VmSettings {
  return {
    cpus: Math.min(2, host.cpus),
    memoryMiB: Math.max(MIN_MEMORY_MIB, Math.min(DEFAULT_MEMORY_MIB, maxVmMemoryMiB(host))),
    diskGiB: DEFAULT_DISK_GIB,
    sharedFolders: [home],
    startOnLaunch: true,
    restAfterMinutes: DEFAULT_REST_AFTER_MINUTES,
  };
}

/** "24 GiB", "23.5 GiB", "768 MiB". */
export function formatMiB(mib: number): string {
  if (mib < 1024) return `${Math.round(mib)} MiB`;
  const gib = mib / 1024;
  return `${Number.isInteger(gib) ? gib : gib.toFixed(1).replace(/\.0$/, '')} GiB`;
}

function formatBytes(bytes: number): string {
  return `${(bytes / GIB).toFixed(1).replace(/\.0$/, '')} GiB`;
}

/** Every reason these settings cannot apply on this computer, each a sentence; empty when they can. */
export function vmSettingsProblems(settings: VmSettings, host: HostCapacity, disk: DiskFacts | null = null): string[] {
  const problems: string[] = [];
  const { cpus, memoryMiB, diskGiB } = settings;
  if (!Number.isInteger(cpus) || cpus < 1) problems.push('The VM needs a whole number of CPUs, at least 1.');
  else if (cpus > host.cpus) problems.push(`The VM asks ${cpus} CPUs; this computer has ${host.cpus}.`);

  if (!Number.isInteger(memoryMiB) || memoryMiB < MIN_MEMORY_MIB) {
    problems.push(`The VM needs at least ${MIN_MEMORY_MIB} MiB of memory.`);
  } else if (memoryMiB > host.memoryMiB) {
    problems.push(`Not enough memory: the VM asks ${formatMiB(memoryMiB)}; this computer has ${formatMiB(host.memoryMiB)}.`);
  } else if (memoryMiB > maxVmMemoryMiB(host)) {
    problems.push(
      `Not enough memory: the VM asks ${formatMiB(memoryMiB)}; this computer has ${formatMiB(host.memoryMiB)} and keeps ` +
        `${formatMiB(hostMemoryMarginMiB(host))} for itself, so the VM can have up to ${formatMiB(maxVmMemoryMiB(host))}.`,
    );
  }

  if (!Number.isInteger(diskGiB) || diskGiB < 1) problems.push('The disk size must be a whole number of GiB, at least 1.');
  else if (disk && diskGiB * GIB < disk.usedBytes) {
    // Refused, and nothing is deleted: the user frees space (or resets) first.
    problems.push(`The disk holds ${formatBytes(disk.usedBytes)}; it cannot shrink to ${diskGiB} GiB.`);
  }

  problems.push(...sharedFoldersProblems(settings.sharedFolders));
  if (typeof settings.startOnLaunch !== 'boolean') problems.push('startOnLaunch must be true or false.');
  const rest = restAfterMinutesProblem(settings.restAfterMinutes);
  if (rest) problems.push(rest);
  return problems;
}

/** Throws one VmError with every problem, or returns the settings with their folders normalized. */
export function validateVmSettings(settings: VmSettings, host: HostCapacity, disk: DiskFacts | null = null): VmSettings {
  const problems = vmSettingsProblems(settings, host, disk);
  if (problems.length > 0) throw new VmError(problems.join(' '));
  return { ...settings, sharedFolders: [...new Set(settings.sharedFolders.map(normalizeFolder))] };
}

/** The settings that changed and take effect only at the next start of the VM. */
export function settingsNeedingRestart(
  previous: VmSettings,
  next: VmSettings,
  disk: DiskFacts | null = null,
): Array<keyof VmSettings> {
  const changed: Array<keyof VmSettings> = [];
  if (previous.cpus !== next.cpus) changed.push('cpus');
  if (previous.memoryMiB !== next.memoryMiB) changed.push('memoryMiB');
  // Growing happens before boot (qemu-img resize) and in the guest (resize2fs). A smaller size that
  // still holds the data is recorded but changes nothing now: the disk never shrinks, and the size
  // applies to the next disk (after a factory reset).
  const currentGiB = disk ? disk.virtualBytes / GIB : previous.diskGiB;
  if (next.diskGiB > currentGiB) changed.push('diskGiB');
  const folders = (list: string[]) => JSON.stringify([...new Set(list.map(normalizeFolder))].sort());
  if (folders(previous.sharedFolders) !== folders(next.sharedFolders)) changed.push('sharedFolders');
  return changed;
}

/** Whether the running VM must restart for `next` to apply (startOnLaunch and restAfterMinutes never need one). */
export function needsRestart(previous: VmSettings, next: VmSettings, disk: DiskFacts | null = null): boolean {
  return settingsNeedingRestart(previous, next, disk).length > 0;
}

/**
 * The stored settings over the defaults. A field that is missing or of the wrong type takes its
 * default (a file from an older Berth lacks newer fields); a file that is not JSON at all is moved
 * aside to settings.json.invalid, so the user's values are not lost, and the defaults apply.
 * Values are not checked against this computer here: start() does that, with the messages above.
 */
export function loadVmSettings(stateDir: string, defaults: VmSettings = defaultVmSettings()): VmSettings {
  const file = path.join(stateDir, SETTINGS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { ...defaults, sharedFolders: [...defaults.sharedFolders] };
  }
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    fs.renameSync(file, `${file}.invalid`);
    return { ...defaults, sharedFolders: [...defaults.sharedFolders] };
  }
  const record = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const number = (key: 'cpus' | 'memoryMiB' | 'diskGiB' | 'restAfterMinutes') =>
    typeof record[key] === 'number' ? record[key] : defaults[key];
  const folders = record.sharedFolders;
  return {
    cpus: number('cpus'),
    memoryMiB: number('memoryMiB'),
    diskGiB: number('diskGiB'),
    sharedFolders:
      Array.isArray(folders) && folders.every((folder) => typeof folder === 'string')
        ? [...folders]
        : [...defaults.sharedFolders],
    startOnLaunch: typeof record.startOnLaunch === 'boolean' ? record.startOnLaunch : defaults.startOnLaunch,
    restAfterMinutes: number('restAfterMinutes'),
  };
}

/**
 * Validates and stores the settings: written to a temporary file, flushed, then renamed over
 * settings.json, so a crash leaves either the old file or the new one, never half of one.
 */
export function saveVmSettings(
  stateDir: string,
  settings: VmSettings,
  host: HostCapacity,
  disk: DiskFacts | null = null,
): VmSettings {
  const valid = validateVmSettings(settings, host, disk);
  storeVmSettings(stateDir, valid);
  return valid;
}

/** Writes settings already checked to settings.json (atomically: temporary file, fsync, rename). */
export function storeVmSettings(stateDir: string, valid: VmSettings): void {
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = path.join(stateDir, SETTINGS_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temporary, 'w', 0o600);
  try {
    fs.writeSync(fd, `${JSON.stringify(valid, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
}

/**
 * Where the VM's settings are kept: its own settings.json by default; the app hands in its settings
 * file (app/settings: one file for all of Berth's settings, under dotted keys) instead.
 */
export interface VmSettingsSource {
  load(): VmSettings;
  /** Stores settings that validateVmSettings already accepted. */
  save(valid: VmSettings): void;
}

export function fileSettingsSource(stateDir: string): VmSettingsSource {
  return { load: () => loadVmSettings(stateDir), save: (valid) => storeVmSettings(stateDir, valid) };
}
