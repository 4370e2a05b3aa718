/**
 * A client of the control socket: the contract's typed client (app/contract/client.ts) over a
 * WebSocket on the unix socket. Checks the socket is ours before it connects.
 */
import WebSocket from 'ws';
import { createRawClient, unwrapClient, type BerthClient } from '../contract/client.js';
import { decodeServerMessage } from '../contract/wire-codec.js';
import type { ServerMessage } from '../contract/wire.js';
import {
  CONTROL_WEBSOCKET_PATH,
  controlSocketPath,
  controlSocketProblem,
  probeControlSocket,
  UnsafeControlSocketError,
} from './control-socket.js';

export class NoBerthRunningError extends Error {
  constructor(readonly socketPath: string) {
    super(`Berth is not running (nothing answers on ${socketPath}). Start it with: berth start`);
    this.name = 'NoBerthRunningError';
  }
}

export interface ControlConnection {
  readonly client: BerthClient;
  readonly socketPath: string;
  /** Resolves when the connection is gone (Berth quit, or close()). */
  readonly closed: Promise<void>;
  close(): void;
}

export async function connectControlSocket(stateDir: string): Promise<ControlConnection> {
  const socketPath = controlSocketPath(stateDir);
  const problem = controlSocketProblem(socketPath, stateDir);
  if (problem) throw new UnsafeControlSocketError(problem);
  if ((await probeControlSocket(socketPath)) !== 'live') throw new NoBerthRunningError(socketPath);

  const ws = new WebSocket(`ws+unix://${socketPath}:${CONTROL_WEBSOCKET_PATH}`);
  const listeners = new Set<(message: ServerMessage) => void>();
  ws.on('message', (data, isBinary) => {
    const bytes = Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data as ArrayBuffer)]);
    let message: ServerMessage;
    try {
      message = decodeServerMessage(isBinary ? new Uint8Array(bytes) : bytes.toString('utf8'));
    } catch {
      return;
    }
    for (const listener of listeners) listener(message);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', (error) => reject(new NoBerthRunningError(`${socketPath} (${error.message})`)));
  });
  const raw = createRawClient({
    send: (message) => ws.send(JSON.stringify(message)),
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });
  const closed = new Promise<void>((resolve) =>
    ws.once('close', () => {
      raw.close();
      resolve();
    }),
  );
  ws.on('error', () => ws.terminate());
  return {
    client: unwrapClient(raw),
    socketPath,
    closed,
    close: () => ws.close(),
  };
}
