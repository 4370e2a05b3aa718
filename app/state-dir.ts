/** Where Berth keeps its state on this computer: the VM, a private host engine's data, the registry logins' key. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function berthStateDir(): string {
  return join(process.env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'berth');
}
