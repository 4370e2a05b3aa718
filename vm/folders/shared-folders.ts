/**
 * Host folders shared into the VM at the same path, so `docker run -v /home/me/app:/app` means the same
 * folder inside the VM as on this computer. Pure rules here (which paths may be shared, how they are
 * tagged, what the guest is told); the virtiofsd processes live in virtiofsd.ts.
 *
 * One virtiofsd per folder rather than one for a common root: the only common root of the home folder
 * and, say, /mnt/data is `/`, and sharing `/` would put the whole host file system within reach of any
 * privileged container. Per folder, the VM sees exactly what the user listed, at the cost of one small
 * process and one virtio-mmio slot per folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { VmError } from '../vm-error.js';

/**
 * microvm has 24 virtio-mmio transports; the disk, network, entropy (and a balloon or console later)
 * take a few. 16 folders leave room for those and are more than the contract's form needs in practice.
 */
export const MAX_SHARED_FOLDERS = 16;

/** The guest's own system: a shared folder mounted over one of these would break the VM. */
const GUEST_SYSTEM_PATHS = ['/proc', '/sys', '/dev', '/run', '/etc', '/usr', '/bin', '/sbin', '/lib', '/lib64', '/newroot'];
/** Mounted by the guest itself: a share on it or on a parent folder would hide the engine's data. */
const GUEST_DATA_PATH = '/var/lib/docker';

export interface SharedFolderMount {
  /** The virtiofs tag the guest mounts (at most 36 bytes, the virtio-fs limit). */
  tag: string;
  /** The host folder, also the mount point inside the VM. */
  path: string;
}

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent === '/' ? '/' : `${parent}/`);
}

/** "/a/b/" and "/a//b" are "/a/b"; relative paths are refused by sharedFolderProblem, not resolved here. */
export function normalizeFolder(folder: string): string {
  return path.posix.normalize(folder).replace(/(.)\/+$/, '$1');
}

/** Why a folder cannot be shared (its shape, not whether it exists), or null when it can. */
export function sharedFolderProblem(folder: string): string | null {
  if (!path.posix.isAbsolute(folder)) return `The shared folder "${folder}" must be an absolute path.`;
  if (/[\0\n\r]/.test(folder)) return 'A shared folder path cannot contain a line break or a NUL character.';
  if (folder.split('/').includes('..')) return `The shared folder ${folder} cannot contain "..".`;
  const normal = normalizeFolder(folder);
  if (normal === '/') return 'The whole file system (/) cannot be shared; share the folders you need.';
  const system = GUEST_SYSTEM_PATHS.find((guestPath) => isInside(normal, guestPath));
  if (system) return `The shared folder ${normal} cannot be shared: ${system} is part of the VM's own system.`;
  if (isInside(normal, GUEST_DATA_PATH) || isInside(GUEST_DATA_PATH, normal)) {
    return `The shared folder ${normal} cannot be shared: the VM keeps its engine data in ${GUEST_DATA_PATH}.`;
  }
  return null;
}

/** Every problem with a list of folders, in the order a person reads them. */
export function sharedFoldersProblems(folders: readonly string[]): string[] {
  const problems = folders.map(sharedFolderProblem).filter((problem): problem is string => problem !== null);
  if (folders.length > MAX_SHARED_FOLDERS)
    problems.push(`At most ${MAX_SHARED_FOLDERS} folders can be shared (${folders.length} listed).`);
  return problems;
}

/**
 * The mounts for a list of folders: normalized, duplicates dropped, and a folder inside another shared
 * folder dropped too (it is visible through its parent already; a second mount of the same files
 * through another virtiofsd would give the guest two inconsistent caches of them).
 */
export function planSharedFolders(folders: readonly string[]): SharedFolderMount[] {
  const unique = [...new Set(folders.map(normalizeFolder))].sort();
  const roots = unique.filter((folder) => !unique.some((other) => other !== folder && isInside(folder, other)));
  return roots.map((folder, index) => ({ tag: `berth${index}`, path: folder }));
}

/**
 * Throws the VmError a person sees before boot when a folder cannot be shared or does not exist. A
 * missing folder is refused rather than skipped: a bind mount of it would silently create an empty
 * folder inside the VM and the container would see nothing of the user's files.
 */
export function checkSharedFolders(folders: readonly string[]): SharedFolderMount[] {
  const problems = sharedFoldersProblems(folders);
  if (problems.length > 0) throw new VmError(problems.join(' '));
  const mounts = planSharedFolders(folders);
  for (const mount of mounts) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(mount.path);
    } catch {
      throw new VmError(`The shared folder ${mount.path} does not exist.`);
    }
    if (!stat.isDirectory()) throw new VmError(`The shared folder ${mount.path} is not a folder.`);
  }
  return mounts;
}

/** What the guest's /init reads from fw_cfg opt/berth/shares: one "TAG PATH" per line (PATH may hold spaces). */
export function sharesConfig(mounts: readonly SharedFolderMount[]): string {
  return mounts.map((mount) => `${mount.tag} ${mount.path}\n`).join('');
}

/**
 * The guest reports a folder it could not mount as `BERTH-WARN folder PATH: REASON` and boots on: the
 * engine is still useful without it. Returns those paths with their reasons.
 */
export function folderWarnings(consoleText: string): Array<{ path: string; reason: string }> {
  const warnings: Array<{ path: string; reason: string }> = [];
  for (const match of consoleText.matchAll(/^BERTH-WARN folder (\/.*?): (.*)$/gm)) {
    warnings.push({ path: match[1]!, reason: match[2]!.trim() });
  }
  return warnings;
}
