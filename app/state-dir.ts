/** Where Berth keeps its state on this computer: the VM, a private host engine's data, the registry logins' key. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateFolder } from '../vm/host/private-folder.js';

export function berthStateDir(): string {
  return join(process.env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'berth');
}

/**
 * The state folder, created 0700 when missing; Berth refuses to start (UnsafeFolderError, naming the
 * folder, its owner and the fix) when another user owns it or its group or everyone may write to it.
 */
export function ensureBerthStateDir(): string {
  const dir = berthStateDir();
  ensurePrivateFolder('its state folder', dir);
  return dir;
}
