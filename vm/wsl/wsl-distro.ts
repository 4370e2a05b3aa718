/**
 * Berth's WSL distribution itself: find it, import it from rootfs.tar on the first start (remembering
 * which image it came from), and delete it on a reset. WslMachine calls these within its start and
 * reset; they only run wsl.exe commands and read the image's files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkRootfsTar } from '../image/rootfs-tar.js';
import { VmError } from '../vm-error.js';
import { importError, parseWslList, wslCommands, type WslDistro } from './wsl-commands.js';
import type { WslRunner } from './wsl-runner.js';

const IMPORT_TIMEOUT_MS = 10 * 60_000;
/** Which rootfs.tar the distribution was imported from (its SHA-256 from SHA256SUMS). */
const IMPORTED_IMAGE_FILE = 'wsl-imported-image.txt';

export interface WslDistroPlace {
  runner: WslRunner;
  distro: string;
  /** Berth's state: the distribution's disk goes in distro/ here. */
  stateDir: string;
  imageDir: string;
}

export async function findDistro(place: WslDistroPlace): Promise<WslDistro | null> {
  const listed = await place.runner.run(wslCommands(place.distro).list, { timeoutMs: 30_000 });
  // With no distribution at all wsl.exe exits non-zero and says so; the list is then empty.
  return parseWslList(listed.stdout).find((distro) => distro.name.toLowerCase() === place.distro.toLowerCase()) ?? null;
}

/**
 * Imports the distribution on the first start (onImporting first, for the start's step); otherwise ends
 * what a Berth that died left running in it. Resolves to the notice to show: an image newer than the
 * one the distribution was imported from (null when there is nothing to say).
 */
export async function prepareDistro(place: WslDistroPlace, onImporting: () => void): Promise<string | null> {
  const commands = wslCommands(place.distro);
  const existing = await findDistro(place);
  const imageSum = rootfsTarSum(place.imageDir);
  const record = path.join(place.stateDir, IMPORTED_IMAGE_FILE);
  if (existing) {
    if (existing.version !== 2) {
      throw new VmError(
        `WSL's distribution "${place.distro}" is a WSL 1 distribution; Berth's engine needs WSL 2. Run "wsl --set-version ${place.distro} 2", or reset Berth's engine to import it again.`,
      );
    }
    await place.runner.run(commands.terminate);
    const imported = readText(record);
    return imported && imageSum && imported !== imageSum
      ? 'The engine image was updated; the WSL distribution still runs the one it was imported from until the engine is reset.'
      : null;
  }
  onImporting();
  const tar = checkRootfsTar(place.imageDir);
  const installDir = path.join(place.stateDir, 'distro');
  fs.mkdirSync(installDir, { recursive: true });
  const result = await place.runner.run(commands.import(installDir, tar.path), { timeoutMs: IMPORT_TIMEOUT_MS });
  if (result.code !== 0) throw importError(result, tar.path);
  if (imageSum) fs.writeFileSync(record, `${imageSum}\n`);
  return null;
}

/** Deletes the distribution and its disk (images, containers, volumes), if it is there. */
export async function unregisterDistro(place: WslDistroPlace): Promise<void> {
  if (!(await findDistro(place))) return;
  const result = await place.runner.run(wslCommands(place.distro).unregister);
  if (result.code !== 0 && (await findDistro(place))) {
    const reason = `${result.stderr}\n${result.stdout}`.trim().split('\n')[0] || `exit code ${result.code}`;
    throw new VmError(`WSL could not delete Berth's distribution ${place.distro}: ${reason}`);
  }
  fs.rmSync(path.join(place.stateDir, IMPORTED_IMAGE_FILE), { force: true });
}

function rootfsTarSum(imageDir: string): string | null {
  const sums = readText(path.join(imageDir, 'SHA256SUMS')) ?? '';
  return /^([0-9a-f]{64}) [ *]rootfs\.tar$/m.exec(sums)?.[1] ?? null;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}
