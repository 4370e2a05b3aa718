/**
 * Berth's settings as one live store over one file. It holds the last good settings (defaults, then the
 * user's file, then the administrator's locked file on top), applies a change from any side (the UI, the
 * `berth` command, an edit of the file while Berth runs) through one path, and tells its listeners.
 * A file that is not valid keeps the last good settings and becomes `problem`, naming file, line and key.
 * The VM reads and stores its settings through vmSource(), so the VM never has a file of its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Emitter, toDisposable, type Disposable } from '../../base/index.js';
import {
  SETTING_DEFINITIONS,
  SETTING_KEYS,
  isSettingKey,
  type SettingEntry,
  type SettingKey,
  type SettingValues,
  type SettingsListing,
} from '../contract/settings-contract.js';
import { lockProblem, mergeLocked } from './locked-settings.js';
import { readSettingsFile, settingsText, writeFileAtomically, type StoredSettings } from './settings-file.js';
import { unknownKeyProblem, valueProblem, type HostLimits } from './setting-problems.js';
import { fromVmSettings, toVmSettings, vmPartChanged, type VmSettingsShape } from './vm-settings-keys.js';

/** A refused change: the message is the user's to read (unknown key, wrong value, locked). */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

export interface SettingsServiceOptions {
  /** The user's settings file. */
  file: string;
  /** The administrator's locked-settings file (it may not exist). */
  lockedFile: string;
  defaults: SettingValues;
  limits: HostLimits;
  /** What `$schema` in the file points at (the schema file beside it), or null for none. */
  schemaReference: string | null;
  /** How long the file must stay quiet before an edit is read (editors write in several steps). */
  debounceMs?: number;
}

/**
 * Pushes VM settings into the running machine: it checks them against this computer (disk, folders),
 * stores them through vmSource().save, and says whether a restart is needed; it throws with a message.
 */
export type ApplyVmSettings = (next: VmSettingsShape) => Promise<{ needsRestart: boolean }>;

export class SettingsService implements Disposable {
  private stored: StoredSettings = {};
  private locked: StoredSettings = {};
  private lockedFileExists = false;
  private fileProblem: string | null = null;
  private lockedProblem: string | null = null;
  private restartNeeded = false;
  private applyVm: ApplyVmSettings | null = null;
  /** What the VM stored through vmSource().save during the last applyVm (its values normalized). */
  private vmSaved: VmSettingsShape | null = null;
  private applyingVm = false;
  private readonly changes = new Emitter<SettingsListing>();
  private readonly watchers: fs.FSWatcher[] = [];
  private debounce: ReturnType<typeof setTimeout> | undefined;
  /** File reloads run one after another, so two quick edits never apply out of order. */
  private reloading: Promise<void> = Promise.resolve();

  constructor(private readonly options: SettingsServiceOptions) {
    this.loadLocked();
    const read = readSettingsFile(options.file, options.limits);
    if (read.kind === 'read') this.stored = read.values;
    if (read.kind === 'invalid') this.fileProblem = `${read.problem} Berth uses the defaults until it is fixed.`;
  }

  readonly onChange = this.changes.event;

  /** Defaults, then the file, then the locked values. */
  values(): SettingValues {
    return { ...this.options.defaults, ...this.stored, ...this.locked };
  }

  /** Why a file was not (fully) applied, or null. */
  get problem(): string | null {
    return [this.lockedProblem, this.fileProblem].filter(Boolean).join(' ') || null;
  }

  list(): SettingsListing {
    const values = this.values();
    return {
      file: this.options.file,
      lockedFile: this.lockedFileExists ? this.options.lockedFile : null,
      entries: SETTING_KEYS.map((key) => this.entry(key, values)),
      problem: this.problem,
      needsRestart: this.restartNeeded,
    };
  }

  /** Checks and stores one value (from the UI or the command); throws a SettingsError saying why not. */
  async set(key: string, value: unknown): Promise<{ entry: SettingEntry; needsRestart: boolean }> {
    if (!isSettingKey(key)) throw new SettingsError(unknownKeyProblem(key));
    const needsRestart = await this.change({ [key]: value });
    return { entry: this.entry(key, this.values()), needsRestart };
  }

  /** Stores the VM part as a whole (the Engine view's form); locked keys may only keep their value. */
  async setVm(next: VmSettingsShape): Promise<{ settings: VmSettingsShape; needsRestart: boolean }> {
    const needsRestart = await this.change(fromVmSettings(next));
    return { settings: toVmSettings(this.values()), needsRestart };
  }

  /**
   * Hands the VM its settings and a way to store them; `apply` is how this service pushes a change
   * into the machine (whose checks are the last word: disk size, folders that exist).
   */
  connectVm(apply: ApplyVmSettings): { load(): VmSettingsShape; save(valid: VmSettingsShape): void } {
    this.applyVm = apply;
    return {
      load: () => toVmSettings(this.values()),
      save: (valid) => {
        // Inside a change the service writes the file itself, once, with the VM's normalized values.
        if (this.applyingVm) this.vmSaved = valid;
        else this.store(fromVmSettings(valid));
      },
    };
  }

  /** The VM started with the current settings: nothing waits for a restart any more. */
  vmRestarted(): void {
    if (!this.restartNeeded) return;
    this.restartNeeded = false;
    this.changes.fire(this.list());
  }

  /** Follows edits of the file and of the locked file; a burst of events is read once, after debounceMs. */
  watch(): Disposable {
    const folders = new Map<string, Set<string>>();
    for (const file of [this.options.file, this.options.lockedFile]) {
      const names = folders.get(path.dirname(file)) ?? new Set<string>();
      folders.set(path.dirname(file), names.add(path.basename(file)));
    }
    for (const [folder, names] of folders) {
      // The folder, not the file: editors and Berth itself replace the file by renaming a new one over it.
      if (!fs.existsSync(folder)) continue;
      const watcher = fs.watch(folder, (_event, name) => {
        if (name === null || names.has(name.toString())) this.scheduleReload();
      });
      watcher.on('error', () => watcher.close());
      this.watchers.push(watcher);
    }
    return toDisposable(() => this.dispose());
  }

  /** Reads both files now and applies what changed (what the watcher does after its debounce). */
  reload(): Promise<void> {
    this.reloading = this.reloading.then(() => this.reloadNow());
    return this.reloading;
  }

  dispose(): void {
    clearTimeout(this.debounce);
    for (const watcher of this.watchers.splice(0)) watcher.close();
  }

  private scheduleReload(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.reload(), this.options.debounceMs ?? 150);
  }

  private async reloadNow(): Promise<void> {
    const before = JSON.stringify(this.list());
    this.loadLocked();
    const read = readSettingsFile(this.options.file, this.options.limits);
    if (read.kind === 'invalid') {
      this.fileProblem = `${read.problem} Berth keeps the last good settings until it is fixed.`;
    } else {
      const next = read.kind === 'read' ? read.values : {};
      try {
        await this.applyStored(next);
        this.fileProblem = null;
      } catch (error) {
        const keys = SETTING_KEYS.filter((key) => JSON.stringify(next[key]) !== JSON.stringify(this.stored[key]));
        this.fileProblem = `${this.options.file} (${keys.join(', ')}): ${(error as Error).message} Berth keeps the last good settings until it is fixed.`;
      }
    }
    if (JSON.stringify(this.list()) !== before) this.changes.fire(this.list());
  }

  /** The file's new values become the settings: through the VM first when its part changed. */
  private async applyStored(next: StoredSettings): Promise<void> {
    const candidate = { ...this.options.defaults, ...next, ...this.locked };
    const { normalized } = await this.throughVm(this.values(), candidate);
    this.stored = next;
    if (Object.keys(normalized).length > 0) this.store(normalized);
  }

  /**
   * Hands the VM part to the machine when it changed; answers whether a restart is needed and the
   * values the machine normalized (a folder's trailing slash), to be written back.
   */
  private async throughVm(current: SettingValues, candidate: SettingValues): Promise<{ needsRestart: boolean; normalized: StoredSettings }> {
    if (!this.applyVm || !vmPartChanged(current, candidate)) return { needsRestart: false, normalized: {} };
    this.vmSaved = null;
    this.applyingVm = true;
    let needsRestart: boolean;
    try {
      ({ needsRestart } = await this.applyVm(toVmSettings(candidate)));
    } finally {
      this.applyingVm = false;
    }
    this.restartNeeded ||= needsRestart;
    const saved: StoredSettings = this.vmSaved ? fromVmSettings(this.vmSaved) : {};
    const normalized = Object.fromEntries(
      Object.entries(saved).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(candidate[key as SettingKey])),
    ) as StoredSettings;
    return { needsRestart, normalized };
  }

  /** One change from the UI or the command: checked per key, then through the VM, then stored. */
  private async change(values: Partial<Record<SettingKey, unknown>>): Promise<boolean> {
    // Writing now would overwrite the user's edit in progress: the file is theirs to fix first.
    if (this.fileProblem) throw new SettingsError(`Fix the settings file first: ${this.fileProblem}`);
    const current = this.values();
    const changed: StoredSettings = {};
    for (const [key, value] of Object.entries(values) as Array<[SettingKey, unknown]>) {
      const same = JSON.stringify(value) === JSON.stringify(current[key]);
      if (Object.hasOwn(this.locked, key) && !same) throw new SettingsError(lockProblem(key, this.options.lockedFile));
      if (same) continue;
      const problem = valueProblem(key, value, this.options.limits);
      if (problem) throw new SettingsError(problem);
      (changed as Record<string, unknown>)[key] = value;
    }
    if (Object.keys(changed).length === 0) return false;
    const candidate = { ...current, ...changed };
    // The VM checks against this computer (disk, folders) before anything is written.
    const { needsRestart, normalized } = await this.throughVm(current, candidate);
    this.store({ ...changed, ...normalized });
    this.changes.fire(this.list());
    return needsRestart;
  }

  /** Writes values into the user's file (locked keys never: they are the administrator's). */
  private store(values: StoredSettings): void {
    const next: StoredSettings = { ...this.stored };
    for (const [key, value] of Object.entries(values) as Array<[SettingKey, unknown]>) {
      if (Object.hasOwn(this.locked, key)) continue;
      (next as Record<string, unknown>)[key] = value;
    }
    if (JSON.stringify(next) === JSON.stringify(this.stored) && fs.existsSync(this.options.file)) return;
    writeFileAtomically(this.options.file, settingsText(next, this.options.schemaReference));
    this.stored = next;
  }

  private loadLocked(): void {
    const locked = mergeLocked(this.options.lockedFile, this.options.limits);
    this.lockedFileExists = locked.exists;
    this.locked = locked.values;
    this.lockedProblem = locked.problem;
  }

  private entry(key: SettingKey, values: SettingValues): SettingEntry {
    const definition = SETTING_DEFINITIONS[key];
    return {
      key,
      value: values[key],
      defaultValue: this.options.defaults[key],
      locked: Object.hasOwn(this.locked, key),
      description: definition.description,
      applies: definition.applies,
    };
  }
}
