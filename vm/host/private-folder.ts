/**
 * Berth's folders that only its user may control: the state folder (the VM's disk, the TLS keys,
 * the registry logins' key) and the VM's folder, where the engine's host socket lives. If another
 * user owns one, or its group or everyone may write to it, they could swap the socket, the keys or
 * the VM image's verified record under Berth; so Berth refuses to start, naming the folder, its
 * owner and the command that fixes it. Where there are no Unix owners (Windows), nothing is checked.
 */
import fs from 'node:fs';
import os from 'node:os';

export class UnsafeFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeFolderError';
  }
}

/** What the check needs from fs.Stats. */
export interface FolderFacts {
  uid: number;
  mode: number;
  isDirectory(): boolean;
}

/** The user name for a uid where this machine knows it (a name reads better than a number). */
function userName(uid: number): string {
  try {
    const line = fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((entry) => entry.split(':')[2] === String(uid));
    return line ? `${line.split(':')[0]} (uid ${uid})` : `uid ${uid}`;
  } catch {
    return `uid ${uid}`;
  }
}

/** Why `what` at folderPath is not safe for the user `myUid`, or null when it is. */
export function unsafeFolderProblem(what: string, folderPath: string, facts: FolderFacts, myUid: number): string | null {
  if (!facts.isDirectory()) {
    return `Berth will not start: ${what} ${folderPath} is not a folder. Move it away so Berth can create the folder.`;
  }
  if (facts.uid !== myUid) {
    const me = os.userInfo().username;
    return (
      `Berth will not start: ${what} ${folderPath} belongs to ${userName(facts.uid)}, not to you (${me}, uid ${myUid}), ` +
      `so that user could change what Berth runs. Fix: chown -R ${myUid} ${folderPath} (as root), or move it away.`
    );
  }
  const writableBy = [facts.mode & 0o020 ? 'its group' : null, facts.mode & 0o002 ? 'everyone' : null].filter(Boolean);
  if (writableBy.length > 0) {
    const mode = (facts.mode & 0o7777).toString(8).padStart(4, '0');
    return (
      `Berth will not start: ${what} ${folderPath} may be written by ${writableBy.join(' and ')} (mode ${mode}), ` +
      `so other users could change what Berth runs. Fix: chmod 700 ${folderPath}`
    );
  }
  return null;
}

/**
 * Creates the folder (mode 0700) when it is missing, else checks the one that is there. Throws an
 * UnsafeFolderError saying what is wrong and what to do.
 */
export function ensurePrivateFolder(what: string, folderPath: string): void {
  const myUid = process.getuid?.();
  fs.mkdirSync(folderPath, { recursive: true, mode: 0o700 });
  if (myUid === undefined) return;
  const problem = unsafeFolderProblem(what, folderPath, fs.statSync(folderPath), myUid);
  if (problem) throw new UnsafeFolderError(problem);
}
