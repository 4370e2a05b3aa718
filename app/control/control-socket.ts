/**
 * Where the control socket lives and whether it is safe to use. The socket's owner and mode are its
 * door (there is no token): it sits in the state folder (0700), is made 0600, and a socket or folder
 * owned by another user is refused, since that user could answer as Berth or read what we send.
 */
import fs from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { unsafeFolderProblem } from '../../vm/host/private-folder.js';

export const CONTROL_SOCKET_NAME = 'control.sock';
/** The WebSocket path on the control socket: the same wire as browser mode's. */
export const CONTROL_WEBSOCKET_PATH = '/__berth/control';

export function controlSocketPath(stateDir: string): string {
  return join(stateDir, CONTROL_SOCKET_NAME);
}

export class UnsafeControlSocketError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeControlSocketError';
  }
}

/** Why the state folder or the socket in it is not ours alone, or null (also when there is no socket). */
export function controlSocketProblem(socketPath: string, stateDir: string, myUid = process.getuid?.()): string | null {
  if (myUid === undefined) return null; // no Unix owners (Windows)
  let folder: fs.Stats;
  try {
    folder = fs.statSync(stateDir);
  } catch {
    return null; // no folder: no socket either
  }
  const folderProblem = unsafeFolderProblem('its state folder', stateDir, folder, myUid);
  if (folderProblem) return folderProblem.replace('Berth will not start', 'Berth will not use the control socket');
  let socket: fs.Stats;
  try {
    socket = fs.lstatSync(socketPath);
  } catch {
    return null;
  }
  if (!socket.isSocket()) {
    return `${socketPath} is not a socket. Move it away; Berth makes its control socket there.`;
  }
  if (socket.uid !== myUid) {
    return (
      `Refused: the control socket ${socketPath} belongs to uid ${socket.uid}, not to you (uid ${myUid}), ` +
      `so another user could answer as Berth. Remove it (as root) and start Berth again.`
    );
  }
  return null;
}

export type SocketLiveness = 'absent' | 'live' | 'stale';

/** Whether a process listens on the socket: 'stale' when the file is there but nobody answers. */
export function probeControlSocket(socketPath: string, timeoutMs = 2_000): Promise<SocketLiveness> {
  if (!fs.existsSync(socketPath)) return Promise.resolve('absent');
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    const done = (liveness: SocketLiveness) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(liveness);
    };
    // A connect that neither succeeds nor fails is a busy listener (a full backlog): never replace it.
    const timer = setTimeout(() => done('live'), timeoutMs);
    socket.once('connect', () => done('live'));
    socket.once('error', () => done('stale'));
  });
}
