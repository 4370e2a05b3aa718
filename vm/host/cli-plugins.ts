/**
 * `docker compose` and `docker buildx` for the user's own docker CLI, as Docker Desktop provides them:
 * Berth's copies (Debian's packages, unpacked by vm/image/build-cli-plugins.sh) go into the user's CLI
 * plugin folder ($DOCKER_CONFIG/cli-plugins, ~/.docker/cli-plugins by default). A user's own plugin is
 * never replaced or shadowed: the CLI looks in the user's folder first, then in the folders named by
 * config.json's cliPluginsExtraDirs, then in the system folders, so Berth installs a plugin only where
 * none of those has one. A file Berth installed is recognised by its record (path, size, mtime,
 * sha256 in the state dir) and updated when Berth brings a newer version; a file the user has since
 * replaced is theirs from then on.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/** The Unix docker CLI's own plugin folders, searched after the user's folder and the extra ones. */
export const SYSTEM_PLUGIN_DIRS = [
  '/usr/local/lib/docker/cli-plugins',
  '/usr/local/libexec/docker/cli-plugins',
  '/usr/lib/docker/cli-plugins',
  '/usr/libexec/docker/cli-plugins',
];
const RECORD_FILE = 'cli-plugins.json';
const METADATA_TIMEOUT_MS = 5_000;

export type CliPluginOutcome =
  /** Berth's copy is in the user's folder: put there now, brought up to date now, or already there. */
  | { plugin: string; status: 'installed' | 'updated' | 'current'; version: string; path: string }
  /** The user has their own (in their folder, an extra folder or a system one): left alone. */
  | { plugin: string; status: 'kept'; version: string | null; path: string }
  | { plugin: string; status: 'failed'; version: string; path: string; reason: string };

export interface CliPluginsReport {
  /** The user's CLI plugin folder. */
  folder: string;
  plugins: CliPluginOutcome[];
  /** Why nothing was tried (no plugins built), else null. */
  note: string | null;
}

export interface CliPluginsOptions {
  /** Berth's plugins and their manifest.txt (vm/.build/cli-plugins/<arch>). */
  sourceDir: string;
  /** Where Berth records what it installed. */
  stateDir: string;
  /** The CLI's environment: DOCKER_CONFIG (else HOME/.docker) picks the user's folder. */
  env?: NodeJS.ProcessEnv;
  /** The system folders the CLI searches; SYSTEM_PLUGIN_DIRS by default (tests pass temp dirs). */
  systemDirs?: string[];
  /** A plugin's version, when it is cheap to ask (`PLUGIN docker-cli-plugin-metadata`); null if not. */
  readVersion?: (file: string) => Promise<string | null>;
}

interface ManifestEntry {
  plugin: string;
  version: string;
  sha256: string;
}

/** What Berth put where: a file that still matches is Berth's to update. */
interface InstalledRecord {
  path: string;
  version: string;
  sha256: string;
  size: number;
  mtimeMs: number;
}
type Records = Record<string, InstalledRecord>;

/** `docker-compose` -> `compose`: the word the user types after `docker`. */
export const commandOf = (plugin: string) => plugin.replace(/^docker-/, '');

/** The user's CLI plugin folder for this environment, as the CLI computes it. */
export function userPluginDir(env: NodeJS.ProcessEnv = process.env): string {
  const configDir = env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
  return path.join(configDir, 'cli-plugins');
}

/** Installs or updates Berth's plugins where that takes nothing from the user; one outcome per plugin. */
export async function installCliPlugins(options: CliPluginsOptions): Promise<CliPluginsReport> {
  const env = options.env ?? process.env;
  const folder = userPluginDir(env);
  const manifest = readManifest(options.sourceDir);
  if (!manifest) {
    return {
      folder,
      plugins: [],
      note: `Berth's docker CLI plugins are not built (${options.sourceDir}); run npm run vm:image.`,
    };
  }
  const recordPath = path.join(options.stateDir, RECORD_FILE);
  const records = readRecords(recordPath);
  const context: PluginContext = {
    folder,
    sourceDir: options.sourceDir,
    otherDirs: [...extraPluginDirs(path.dirname(folder)), ...(options.systemDirs ?? SYSTEM_PLUGIN_DIRS)],
    records,
    readVersion: options.readVersion ?? readPluginVersion,
  };
  const plugins: CliPluginOutcome[] = [];
  for (const entry of manifest) plugins.push(await placePlugin(entry, context));
  await writeRecords(recordPath, records).catch(() => undefined); // worst case: the next start treats them as the user's
  return { folder, plugins, note: null };
}

interface PluginContext {
  folder: string;
  sourceDir: string;
  otherDirs: string[];
  records: Records;
  readVersion: (file: string) => Promise<string | null>;
}

async function placePlugin(entry: ManifestEntry, context: PluginContext): Promise<CliPluginOutcome> {
  const { plugin, version } = entry;
  const target = path.join(context.folder, plugin);
  try {
    const present = lstatOrNull(target);
    const record = context.records[plugin]?.path === target ? context.records[plugin] : undefined;
    if (present) {
      if (!record || !(await matchesRecord(target, present, record))) {
        delete context.records[plugin]; // the user's file now, whoever put it there first
        return { plugin, status: 'kept', version: await context.readVersion(target), path: target };
      }
      const other = otherPlugin(plugin, context.otherDirs);
      if (other) {
        // Berth's copy would hide one the user installed since: it goes, theirs is used.
        fs.rmSync(target, { force: true });
        delete context.records[plugin];
        return { plugin, status: 'kept', version: await context.readVersion(other), path: other };
      }
      if (record.sha256 === entry.sha256 || compareVersions(version, record.version) <= 0) {
        return { plugin, status: 'current', version: record.version, path: target };
      }
      context.records[plugin] = await copyPlugin(entry, context.sourceDir, target);
      return { plugin, status: 'updated', version, path: target };
    }
    const other = otherPlugin(plugin, context.otherDirs);
    if (other) return { plugin, status: 'kept', version: await context.readVersion(other), path: other };
    context.records[plugin] = await copyPlugin(entry, context.sourceDir, target);
    return { plugin, status: 'installed', version, path: target };
  } catch (error) {
    return { plugin, status: 'failed', version, path: target, reason: failureReason(error, context.folder) };
  }
}

/** Copies to a temporary name in the same folder, then renames: the CLI never sees half a plugin. */
async function copyPlugin(entry: ManifestEntry, sourceDir: string, target: string): Promise<InstalledRecord> {
  const folder = path.dirname(target);
  fs.mkdirSync(folder, { recursive: true, mode: 0o755 });
  const temporary = path.join(folder, `.${entry.plugin}.berth-${randomBytes(4).toString('hex')}`);
  try {
    const hash = createHash('sha256');
    const source = fs.createReadStream(path.join(sourceDir, entry.plugin));
    source.on('data', (chunk) => hash.update(chunk));
    await pipeline(source, fs.createWriteStream(temporary, { mode: 0o755 }));
    const sha256 = hash.digest('hex');
    if (sha256 !== entry.sha256) throw new Error(`Berth's ${entry.plugin} does not match its manifest; run npm run vm:image.`);
    fs.chmodSync(temporary, 0o755); // the umask may have taken bits from the mode above
    fs.renameSync(temporary, target);
    const stat = fs.statSync(target);
    return { path: target, version: entry.version, sha256, size: stat.size, mtimeMs: stat.mtimeMs };
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

async function matchesRecord(file: string, stat: fs.Stats, record: InstalledRecord): Promise<boolean> {
  if (!stat.isFile() || stat.size !== record.size) return false;
  if (stat.mtimeMs === record.mtimeMs) return true; // untouched since Berth wrote it: no need to read 60 MB
  return (await sha256Of(file)) === record.sha256;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

/** The first plugin of that name the CLI would find after the user's folder (an executable file). */
function otherPlugin(plugin: string, dirs: string[]): string | null {
  for (const dir of dirs) {
    const candidate = path.join(dir, plugin);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not there, or not runnable: the CLI skips it too
    }
  }
  return null;
}

/** config.json's cliPluginsExtraDirs (newer CLIs search them before the system folders). */
function extraPluginDirs(configDir: string): string[] {
  try {
    const config = JSON.parse(fs.readFileSync(path.join(configDir, 'config.json'), 'utf8')) as { cliPluginsExtraDirs?: unknown };
    const dirs = config.cliPluginsExtraDirs;
    return Array.isArray(dirs) ? dirs.filter((dir): dir is string => typeof dir === 'string') : [];
  } catch {
    return [];
  }
}

/** manifest.txt: `PLUGIN VERSION SHA256` per line; null when missing or a listed binary is absent. */
export function readManifest(sourceDir: string): ManifestEntry[] | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(sourceDir, 'manifest.txt'), 'utf8');
  } catch {
    return null;
  }
  const entries = text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length === 3 && /^docker-[a-z][a-z0-9]*$/.test(fields[0]!) && /^[0-9a-f]{64}$/.test(fields[2]!))
    .map(([plugin, version, sha256]) => ({ plugin: plugin!, version: version!, sha256: sha256! }));
  if (entries.length === 0 || entries.some((entry) => !fs.existsSync(path.join(sourceDir, entry.plugin)))) return null;
  return entries;
}

/**
 * Debian-style versions compared field by field on their numbers ("2.26.1-4" < "2.27.0-1",
 * "0.13.1+ds1-3" < "0.14.0-1"): enough to tell which of two of Berth's own builds is newer.
 */
export function compareVersions(a: string, b: string): number {
  const fields = (version: string) => (version.replace(/^\d+:/, '').match(/\d+/g) ?? []).map(Number);
  const left = fields(a);
  const right = fields(b);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

function readRecords(file: string): Records {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Records) : {};
  } catch {
    return {};
  }
}

async function writeRecords(file: string, records: Records): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.promises.writeFile(temporary, `${JSON.stringify(records, null, 2)}\n`, { mode: 0o600 });
  await fs.promises.rename(temporary, file);
}

function lstatOrNull(file: string): fs.Stats | null {
  try {
    return fs.lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The plugin's own Version from its metadata subcommand (~0.1 s), or null when it does not answer. */
export function readPluginVersion(file: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(file, ['docker-cli-plugin-metadata'], { timeout: METADATA_TIMEOUT_MS }, (error, stdout) => {
      if (error) return resolve(null);
      try {
        const version = (JSON.parse(stdout) as { Version?: unknown }).Version;
        resolve(typeof version === 'string' ? version : null);
      } catch {
        resolve(null);
      }
    });
  });
}

function failureReason(error: unknown, folder: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return `no permission to write in ${folder}`;
  if (code === 'EROFS') return `${folder} is on a read-only file system`;
  if (code === 'ENOSPC') return `no space left for it in ${folder}`;
  if (code === 'ENOTDIR' || code === 'EEXIST') return `${folder} is not a folder`;
  return error instanceof Error ? error.message : String(error);
}
