/**
 * Browser mode: one HTTP server on 127.0.0.1 serving the built renderer and the API WebSocket. Every
 * request but the door page needs the per-start token; Host and Origin are checked on every request.
 * Any page the user visits can reach this port, so nothing a client sends may end the process: every
 * socket has an error listener from its first byte, and what one connection can make the server hold
 * is bounded (session-bounds.ts, socket-outbound.ts, MAX_SESSIONS).
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiSession, type ApiLogger } from '../backend/api-session.js';
import type { BerthImplementation } from '../backend/implementation.js';
import { CONTENT_SECURITY_POLICY } from '../contract/security.js';
import { encodeServerMessage } from '../contract/wire-codec.js';
import { parseClientFrame } from './client-frame.js';
import { SocketOutbound } from './socket-outbound.js';
import { DOOR_HTML, DOOR_SCRIPT, DOOR_SCRIPT_PATH, SESSION_PATH } from './door-page.js';
import {
  checkFetchSite,
  checkHost,
  checkOrigin,
  checkToken,
  cookieName,
  firstRefusal,
  guessingLockout,
  isForeignNavigation,
  presentedToken,
  type GuardDecision,
} from './request-guard.js';
import { TokenGuessLimiter } from './token-guess-limiter.js';

export const WEBSOCKET_PATH = '/__berth/ws';
/** Answers 204 with a valid token, else the refusal reason: the page uses it to say why it cannot connect. */
export const WHOAMI_PATH = '/__berth/whoami';
const MAX_MESSAGE_BYTES = 1024 * 1024;
/** API connections open at once: a person has a few tabs; more is a page or program gone wrong. */
export const MAX_SESSIONS = 32;
/** The close code for a peer that broke a bound of the transport (RFC 6455: policy violation). */
const POLICY_VIOLATION = 1008;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

export interface WebServerOptions {
  rendererDir: string;
  implementation: BerthImplementation;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
  logger?: ApiLogger;
  /** Called when an authenticated browser loads the app page: a chance to start work it will ask for. */
  onAppPageRequested?: () => void;
  /** The budget of wrong tokens; tests pass one with their own clock. */
  tokenGuesses?: TokenGuessLimiter;
}

export interface WebServer {
  readonly port: number;
  readonly token: string;
  readonly url: string;
  close(): Promise<void>;
}

function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}

function refuse(response: http.ServerResponse, decision: Extract<GuardDecision, { ok: false }>): void {
  const retryAfter = decision.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(decision.retryAfterSeconds) };
  response.writeHead(decision.status, { ...securityHeaders(), ...retryAfter, 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ reason: decision.reason }));
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const rendererDir = normalize(options.rendererDir);
  let port = 0;
  const config = () => ({ port, token });
  const guesses = options.tokenGuesses ?? new TokenGuessLimiter();
  /** The token check behind the guessing budget: a request presenting no token spends nothing. */
  const checkTokenLimited = (headers: http.IncomingHttpHeaders): GuardDecision => {
    if (presentedToken(headers, port) === undefined) return checkToken(headers, config());
    const lockedForMs = guesses.lockedForMs();
    if (lockedForMs > 0) return guessingLockout(lockedForMs);
    const decision = checkToken(headers, config());
    if (!decision.ok) {
      guesses.recordWrongToken();
      const lockedAfter = guesses.lockedForMs();
      if (lockedAfter > 0) options.logger?.refusal('server', guessingLockout(lockedAfter).reason);
    }
    return decision;
  };

  const serveFile = (urlPath: string, response: http.ServerResponse) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      response.writeHead(400, securityHeaders()).end(); // a malformed %-escape must not throw out of the handler
      return;
    }
    let file = normalize(join(rendererDir, decoded));
    if (!file.startsWith(rendererDir + sep) && file !== rendererDir) {
      response.writeHead(404).end();
      return;
    }
    // The app routes in the page; any unknown path gets the app shell.
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(rendererDir, 'index.html');
    if (!existsSync(file)) {
      response.writeHead(500, securityHeaders()).end('The renderer is not built. Run: npm run build');
      return;
    }
    // Vite names assets by content hash: they never change, so the browser may keep them (and its
    // compiled code cache) for good. The token still guards them; only this browser has the cookie.
    const immutable = file.startsWith(join(rendererDir, 'assets') + sep);
    response.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      ...(immutable ? { 'Cache-Control': 'private, max-age=31536000, immutable' } : {}),
    });
    createReadStream(file).pipe(response);
  };

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const hostCheck = checkHost(request.headers.host, config());
    if (!hostCheck.ok) return refuse(response, hostCheck);
    const originCheck = checkOrigin(request.headers.origin, config(), request.method !== 'GET' && request.method !== 'HEAD');
    if (!originCheck.ok) return refuse(response, originCheck);
    const siteCheck = checkFetchSite(request.headers);
    if (!siteCheck.ok) return refuse(response, siteCheck);

    if (url.pathname === DOOR_SCRIPT_PATH) {
      response.writeHead(200, { ...securityHeaders(), 'Content-Type': CONTENT_TYPES['.js']! });
      return void response.end(DOOR_SCRIPT);
    }
    // A page on another site or port navigating here gets the door page with its cookie unread: its
    // navigation is not our page's, and a cookie it planted must not spend the guessing budget.
    const tokenCheck = isForeignNavigation(request.headers) ? checkToken({}, config()) : checkTokenLimited(request.headers);
    if (url.pathname === SESSION_PATH && request.method === 'POST') {
      if (!tokenCheck.ok) return refuse(response, tokenCheck);
      response.writeHead(204, {
        ...securityHeaders(),
        'Set-Cookie': `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
      return void response.end();
    }
    if (!tokenCheck.ok) {
      // A person opening the link: the door page trades the #token for a cookie, or says why not.
      const wantsPage = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
      if (wantsPage) {
        response.writeHead(401, { ...securityHeaders(), 'Content-Type': CONTENT_TYPES['.html']! });
        return void response.end(DOOR_HTML);
      }
      return refuse(response, tokenCheck);
    }
    if (url.pathname === WHOAMI_PATH) return void response.writeHead(204, securityHeaders()).end();
    if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405, securityHeaders()).end();
    if ((request.headers.accept ?? '').includes('text/html')) options.onAppPageRequested?.();
    serveFile(url.pathname, response);
  });

  // Node's HTTP server listens for socket errors only until it hands a socket to 'upgrade'; a client
  // that resets a refused upgrade then raised an unhandled 'error' that ended the process. Every
  // socket gets a listener of ours from the start, which outlives the hand-over.
  server.on('connection', (socket) => socket.on('error', () => socket.destroy()));

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://placeholder');
    let decision: { ok: true } | { ok: false; status: number; reason: string; retryAfterSeconds?: number } = firstRefusal(
      checkHost(request.headers.host, config()),
      checkOrigin(request.headers.origin, config(), true),
      checkFetchSite(request.headers),
      url.pathname === WEBSOCKET_PATH ? { ok: true } : { ok: false, status: 403, reason: 'Refused: unknown WebSocket path.' },
    );
    // Last, so only a request that passed everything else may spend the guessing budget.
    if (decision.ok) decision = checkTokenLimited(request.headers);
    if (decision.ok && sockets.clients.size >= MAX_SESSIONS) {
      decision = {
        ok: false,
        status: 503,
        reason: `Refused: ${MAX_SESSIONS} Berth pages are connected already; close some tabs and reload.`,
      };
      options.logger?.refusal('server', decision.reason);
    }
    if (!decision.ok) {
      if (socket.writable) {
        const retryAfter = decision.retryAfterSeconds === undefined ? '' : `Retry-After: ${decision.retryAfterSeconds}\r\n`;
        socket.end(
          `HTTP/1.1 ${decision.status} Refused\r\nContent-Type: text/plain\r\n${retryAfter}Connection: close\r\n\r\n${decision.reason}`,
        );
      }
      // A client that never reads the refusal must not hold the socket open.
      setTimeout(() => socket.destroy(), 1_000).unref();
      return;
    }
    // ws tracks the open connections (sockets.clients) itself, from the upgrade until 'close'.
    sockets.handleUpgrade(request, socket, head, (ws) => attachSession(ws, options));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    async close() {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One API session over an open WebSocket: the browser mode's, and the control socket's (app/control). */
export function attachSession(ws: WebSocket, options: Pick<WebServerOptions, 'implementation' | 'logger'>): void {
  const outbound = new SocketOutbound(ws, (pendingBytes) => {
    const reason = `the page stopped reading (${Math.round(pendingBytes / 1024 / 1024)} MiB unsent)`;
    options.logger?.refusal(session.peer.peerId, `connection closed: ${reason}`);
    ws.close(POLICY_VIOLATION, 'Berth closed this connection: the page stopped reading.');
    ws.terminate();
  });
  const session: ApiSession = new ApiSession(options.implementation, (message) => outbound.send(encodeServerMessage(message)), {
    logger: options.logger,
    outbound,
  });
  ws.on('message', (data, isBinary) => {
    if (isBinary) return session.refuseMalformed(undefined, 'binary frames are not accepted from the page.');
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as Uint8Array).toString('utf8');
    const frame = parseClientFrame(text);
    if (frame.ok) session.receive(frame.value);
    else session.refuseMalformed(undefined, frame.reason);
  });
  ws.on('close', () => session.dispose());
  ws.on('error', () => session.dispose());
}
