/**
 * The control socket's server: the browser mode's wire (WebSocket frames, ApiSession, the contract's
 * validation) on a unix socket in the state folder, for the `berth` command. Claimed before the engine
 * starts, so a second Berth on the same state folder stops before it boots a second VM; served once
 * the contract's implementation exists (connections that arrive before wait for it).
 */
import fs from 'node:fs';
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiLogger } from '../backend/api-session.js';
import type { BerthImplementation } from '../backend/implementation.js';
import { attachSession } from '../web/web-server.js';
import {
  CONTROL_WEBSOCKET_PATH,
  controlSocketPath,
  controlSocketProblem,
  probeControlSocket,
  UnsafeControlSocketError,
} from './control-socket.js';

const MAX_MESSAGE_BYTES = 1024 * 1024;

export class BerthAlreadyRunningError extends Error {
  constructor(readonly socketPath: string) {
    super(
      `Another Berth is running on this state folder (its control socket ${socketPath} answers). ` +
        'Use that one (`berth status`, `berth open`), or end it with `berth quit` first.',
    );
    this.name = 'BerthAlreadyRunningError';
  }
}

export interface ControlServer {
  readonly socketPath: string;
  /** Starts answering: connections made before now are served from here on. */
  serve(implementation: BerthImplementation, logger?: ApiLogger): void;
  close(): Promise<void>;
}

/**
 * Claims the control socket of `stateDir`: refuses a foreign one or a live one (another Berth),
 * replaces a stale one (a Berth that ended without removing it), listens with mode 0600.
 */
export async function claimControlSocket(stateDir: string): Promise<ControlServer> {
  const socketPath = controlSocketPath(stateDir);
  const problem = controlSocketProblem(socketPath, stateDir);
  if (problem) throw new UnsafeControlSocketError(problem);
  const liveness = await probeControlSocket(socketPath);
  if (liveness === 'live') throw new BerthAlreadyRunningError(socketPath);
  if (liveness === 'stale') fs.rmSync(socketPath, { force: true });

  let serving: Pick<Parameters<typeof attachSession>[1], 'implementation' | 'logger'> | null = null;
  const waiting: WebSocket[] = [];
  const server = http.createServer((_request, response) => response.writeHead(404).end());
  server.on('connection', (socket) => socket.on('error', () => socket.destroy()));
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://placeholder').pathname;
    // Browsers cannot reach a unix socket; a request with an Origin was relayed from a page: refuse it.
    if (path !== CONTROL_WEBSOCKET_PATH || request.headers.origin !== undefined) {
      socket.end('HTTP/1.1 403 Refused\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      if (serving) attachSession(ws, serving);
      else waiting.push(ws);
    });
  });

  // The folder is 0700 already; 0600 on the socket itself keeps it ours if the folder's mode changes.
  const oldMask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
  } finally {
    process.umask(oldMask);
  }
  fs.chmodSync(socketPath, 0o600);

  return {
    socketPath,
    serve(implementation, logger) {
      serving = { implementation, ...(logger ? { logger } : {}) };
      for (const ws of waiting.splice(0)) if (ws.readyState === ws.OPEN) attachSession(ws, serving);
    },
    async close() {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      // Node removes the socket file when the server closes.
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
