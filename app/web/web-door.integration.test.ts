/**
 * Browser mode's door as tables, over a real server on the real engine: every Host and Origin a
 * DNS-rebinding page, another local site or a confused client can send, what Berth answers and why;
 * then fetch metadata (the same-site pages SameSite=Strict does not stop), the methods that could
 * change state, and the budget of wrong tokens (with the server's limiter on a clock the test moves).
 *
 * What is allowed: Host exactly 127.0.0.1:PORT or localhost:PORT (any case: host names are
 * case-insensitive), Origin exactly http://127.0.0.1:PORT or http://localhost:PORT. Berth listens on
 * 127.0.0.1 only, so [::1] names another server; a trailing dot is another origin to a browser.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { createBerthImplementation } from '../backend/berth-api.js';
import { createEngineServices, type EngineServices } from '../backend/engine-services.js';
import { waitFor } from '../../engine/testing/wait-for.js';
import { DOOR_HTML, SESSION_PATH } from './door-page.js';
import { cookieName } from './request-guard.js';
import { TOKEN_GUESS_POLICY, TokenGuessLimiter } from './token-guess-limiter.js';
import { WEBSOCKET_PATH, WHOAMI_PATH, startWebServer, type WebServer } from './web-server.js';

const socketPath = inject('socketPath');

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('the door of a real browser-mode server', () => {
  let services: EngineServices;
  let server: WebServer;
  let rendererDir: string;
  let now = 1_000_000;
  const sockets: WebSocket[] = [];

  const port = () => server.port;
  const otherPort = () => (server.port === 65_535 ? 1_024 : server.port + 1);
  const ours = () => `http://127.0.0.1:${port()}`;
  const goodCookie = () => `${cookieName(port())}=${server.token}`;
  const bearer = (token = server.token) => ({ Authorization: `Bearer ${token}` });

  function request(path: string, options: { method?: string; headers?: Record<string, string | string[]> } = {}): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const outgoing = http.request(
        { host: '127.0.0.1', port: port(), path, method: options.method ?? 'GET', headers: options.headers, agent: false },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
        },
      );
      outgoing.on('error', reject);
      outgoing.end();
    });
  }

  /** The upgrade's answer: 101 when it opened (then closed at once), else the refusal's status and headers. */
  function upgrade(headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port()}${WEBSOCKET_PATH}`, { headers });
      sockets.push(ws);
      ws.once('open', () => {
        ws.terminate();
        resolve({ status: 101, headers: {} });
      });
      ws.once('unexpected-response', (_request, response) => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers });
        response.resume();
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }

  const reasonOf = (reply: Reply) => (JSON.parse(reply.body) as { reason: string }).reason;

  beforeAll(async () => {
    services = createEngineServices({ kind: 'unix', socketPath });
    await waitFor('the engine connection', () => services.connection.state.kind === 'connected');
    rendererDir = mkdtempSync(join(tmpdir(), 'berth-door-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>the app</title>');
    server = await startWebServer({
      rendererDir,
      implementation: createBerthImplementation(services),
      tokenGuesses: new TokenGuessLimiter(TOKEN_GUESS_POLICY, () => now),
    });
  });

  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await server?.close();
    await services?.dispose();
    rmSync(rendererDir, { recursive: true, force: true });
  });

  // A day passes between tests: each starts with the whole guessing budget.
  beforeEach(() => void (now += 24 * 3_600_000));

  describe('Host (GET with the right token)', () => {
    const rows: { name: string; host: () => string; status: 204 | 421 }[] = [
      { name: '127.0.0.1 on our port', host: () => `127.0.0.1:${port()}`, status: 204 },
      { name: 'localhost on our port', host: () => `localhost:${port()}`, status: 204 },
      { name: 'LOCALHOST (case)', host: () => `LOCALHOST:${port()}`, status: 204 },
      { name: 'LocalHost (case)', host: () => `LocalHost:${port()}`, status: 204 },
      { name: 'IPv6 loopback [::1]', host: () => `[::1]:${port()}`, status: 421 },
      { name: 'IPv4-mapped IPv6 [::ffff:127.0.0.1]', host: () => `[::ffff:127.0.0.1]:${port()}`, status: 421 },
      { name: 'localhost. (trailing dot)', host: () => `localhost.:${port()}`, status: 421 },
      { name: '127.0.0.1. (trailing dot)', host: () => `127.0.0.1.:${port()}`, status: 421 },
      { name: '127.0.0.1 on another port', host: () => `127.0.0.1:${otherPort()}`, status: 421 },
      { name: 'localhost on another port', host: () => `localhost:${otherPort()}`, status: 421 },
      { name: '127.0.0.1 without a port', host: () => '127.0.0.1', status: 421 },
      { name: 'localhost without a port', host: () => 'localhost', status: 421 },
      { name: '127.1 (short form)', host: () => `127.1:${port()}`, status: 421 },
      { name: '2130706433 (decimal form)', host: () => `2130706433:${port()}`, status: 421 },
      { name: '0.0.0.0', host: () => `0.0.0.0:${port()}`, status: 421 },
      { name: 'a DNS-rebinding name', host: () => `rebind.example:${port()}`, status: 421 },
      { name: 'localhost as a subdomain of another name', host: () => `localhost.rebind.example:${port()}`, status: 421 },
      { name: 'a name that resolves to 127.0.0.1', host: () => `127.0.0.1.nip.io:${port()}`, status: 421 },
      { name: 'userinfo before our host', host: () => `evil@127.0.0.1:${port()}`, status: 421 },
    ];
    it.each(rows)('$name → $status', async ({ host, status }) => {
      const reply = await request(WHOAMI_PATH, { headers: { Host: host(), ...bearer() } });
      expect(reply.status).toBe(status);
      if (status === 421) expect(reasonOf(reply)).toContain(`not to the Host "${host()}"`);
    });

    /** A raw request, so the Host line can be empty or missing (Node's client fills one in). */
    function rawRequest(hostLine: string): Promise<string> {
      return new Promise<string>((resolve) => {
        const socket = net.connect(port(), '127.0.0.1', () =>
          socket.write(
            `GET ${WHOAMI_PATH} HTTP/1.1\r\n${hostLine}Authorization: Bearer ${server.token}\r\nConnection: close\r\n\r\n`,
          ),
        );
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
        socket.on('close', () => resolve(text));
      });
    }

    it('an empty Host → 421', async () => {
      const answer = await rawRequest('Host: \r\n');
      expect(answer).toMatch(/^HTTP\/1\.1 421 /);
      expect(answer).toContain('not to the Host \\"\\"'); // JSON-escaped quotes
    });

    it('no Host at all → 400 from Node, before the request reaches Berth', async () => {
      expect(await rawRequest('')).toMatch(/^HTTP\/1\.1 400 /);
    });
  });

  describe('Origin (the token exchange POST and the WebSocket upgrade, both with the right token)', () => {
    const rows: { name: string; origin: () => string | string[] | undefined; verdict: 'allowed' | 'refused' }[] = [
      { name: 'our origin on 127.0.0.1', origin: () => ours(), verdict: 'allowed' },
      { name: 'our origin on localhost', origin: () => `http://localhost:${port()}`, verdict: 'allowed' },
      { name: 'our origin in capitals', origin: () => `HTTP://LOCALHOST:${port()}`, verdict: 'allowed' },
      { name: 'no Origin', origin: () => undefined, verdict: 'refused' },
      { name: 'null (a sandboxed frame, a file: or data: page)', origin: () => 'null', verdict: 'refused' },
      { name: 'file://', origin: () => 'file://', verdict: 'refused' },
      { name: 'IPv6 loopback', origin: () => `http://[::1]:${port()}`, verdict: 'refused' },
      { name: 'IPv4-mapped IPv6', origin: () => `http://[::ffff:127.0.0.1]:${port()}`, verdict: 'refused' },
      { name: 'localhost. (trailing dot)', origin: () => `http://localhost.:${port()}`, verdict: 'refused' },
      { name: '127.0.0.1. (trailing dot)', origin: () => `http://127.0.0.1.:${port()}`, verdict: 'refused' },
      { name: 'another local site on 127.0.0.1', origin: () => `http://127.0.0.1:${otherPort()}`, verdict: 'refused' },
      { name: 'another local site on localhost', origin: () => `http://localhost:${otherPort()}`, verdict: 'refused' },
      { name: 'https on our port', origin: () => `https://127.0.0.1:${port()}`, verdict: 'refused' },
      { name: 'a DNS-rebinding name on our port', origin: () => `http://rebind.example:${port()}`, verdict: 'refused' },
      { name: 'our origin with a path', origin: () => `${ours()}/`, verdict: 'refused' },
      { name: 'our origin and another, as two headers', origin: () => [ours(), 'https://evil.example'], verdict: 'refused' },
      { name: 'a foreign site', origin: () => 'https://evil.example', verdict: 'refused' },
    ];

    it.each(rows)('POST, $name → $verdict', async ({ origin, verdict }) => {
      const value = origin();
      const reply = await request(SESSION_PATH, {
        method: 'POST',
        headers: { ...bearer(), ...(value ? { Origin: value } : {}) },
      });
      expect(reply.status).toBe(verdict === 'allowed' ? 204 : 403);
      if (verdict === 'refused') {
        expect(reply.headers['set-cookie']).toBeUndefined();
        expect(reasonOf(reply)).toMatch(value === undefined ? /no Origin header/ : /from another site/);
      }
    });

    it.each(rows)('WebSocket, $name → $verdict', async ({ origin, verdict }) => {
      const value = origin();
      if (Array.isArray(value)) return; // ws sends one Origin; the POST row covers two
      const reply = await upgrade({ Cookie: goodCookie(), ...(value ? { Origin: value } : {}) });
      expect(reply.status).toBe(verdict === 'allowed' ? 101 : 403);
    });

    it('a GET with no Origin (a navigation, a non-browser client) is let through; a GET with a foreign one is not', async () => {
      expect((await request(WHOAMI_PATH, { headers: bearer() })).status).toBe(204);
      for (const origin of ['null', `http://127.0.0.1:${otherPort()}`, 'https://evil.example']) {
        expect((await request(WHOAMI_PATH, { headers: { ...bearer(), Origin: origin } })).status).toBe(403);
      }
    });
  });

  describe('fetch metadata: what SameSite=Strict lets through from another port of the same site', () => {
    const withCookie = (site: string, mode: string) => ({ Cookie: goodCookie(), 'Sec-Fetch-Site': site, 'Sec-Fetch-Mode': mode });

    it.each([
      ['same-origin', 'cors', 204],
      ['none', 'navigate', 204],
      ['same-site', 'cors', 403],
      ['same-site', 'no-cors', 403],
      ['cross-site', 'no-cors', 403],
      ['something-else', 'cors', 403],
    ] as const)('a fetch with the right cookie and Sec-Fetch-Site: %s (%s) → %i', async (site, mode, status) => {
      const reply = await request(WHOAMI_PATH, { headers: withCookie(site, mode) });
      expect(reply.status).toBe(status);
      if (status === 403) expect(reasonOf(reply)).toContain(`Sec-Fetch-Site: ${site}`);
    });

    it.each(['same-site', 'cross-site'])('a %s navigation gets the door page, its cookie unread', async (site) => {
      const reply = await request('/', { headers: { ...withCookie(site, 'navigate'), Accept: 'text/html' } });
      expect(reply.status).toBe(401);
      expect(reply.body).toBe(DOOR_HTML);
    });

    it('refuses the token exchange and the WebSocket from a same-site page even with our Origin', async () => {
      const post = await request(SESSION_PATH, {
        method: 'POST',
        headers: { ...bearer(), Origin: ours(), 'Sec-Fetch-Site': 'same-site', 'Sec-Fetch-Mode': 'cors' },
      });
      expect(post.status).toBe(403);
      expect(post.headers['set-cookie']).toBeUndefined();
      const ws = await upgrade({
        Cookie: goodCookie(),
        Origin: ours(),
        'Sec-Fetch-Site': 'same-site',
        'Sec-Fetch-Mode': 'websocket',
      });
      expect(ws.status).toBe(403);
      expect((await upgrade({ Cookie: goodCookie(), Origin: ours(), 'Sec-Fetch-Site': 'same-origin' })).status).toBe(101);
    });
  });

  describe('requests that could change state', () => {
    it('accepts only GET and HEAD besides the token exchange and the upgrade: other methods get 405, with the token', async () => {
      const headers = { Cookie: goodCookie(), Origin: ours(), 'Sec-Fetch-Site': 'same-origin' };
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        expect((await request('/', { method, headers })).status).toBe(405);
        expect((await request('/upload', { method, headers })).status).toBe(405);
      }
    });

    it('refuses a POST that carries no cookie and no token (401), whatever its Origin', async () => {
      for (const path of ['/', SESSION_PATH]) {
        const reply = await request(path, { method: 'POST', headers: { Origin: ours() } });
        expect(reply.status).toBe(401);
        expect(reasonOf(reply)).toContain('carries no Berth token');
      }
    });
  });

  describe('guessing the token', () => {
    it('after 5 wrong tokens refuses every token with 429 and Retry-After, keeps open pages working, and takes the right one again after the wait', async () => {
      const open = new WebSocket(`ws://127.0.0.1:${port()}${WEBSOCKET_PATH}`, {
        headers: { Cookie: goodCookie(), Origin: ours() },
      });
      sockets.push(open);
      await new Promise((resolve) => open.once('open', resolve));

      for (let n = 0; n < TOKEN_GUESS_POLICY.burst; n += 1) {
        expect((await request(WHOAMI_PATH, { headers: bearer(`wrong-${n}`) })).status).toBe(401);
      }
      const locked = await request(WHOAMI_PATH, { headers: bearer('wrong-again') });
      expect(locked.status).toBe(429);
      expect(locked.headers['retry-after']).toBe(String(TOKEN_GUESS_POLICY.refillMs / 1000));
      expect(reasonOf(locked)).toContain('too many wrong Berth tokens');
      // The right token is not checked either: answering it would tell a guesser it guessed right.
      expect((await request(WHOAMI_PATH, { headers: bearer() })).status).toBe(429);
      const refusedUpgrade = await upgrade({ Cookie: goodCookie(), Origin: ours() });
      expect(refusedUpgrade).toMatchObject({ status: 429, headers: { 'retry-after': '12' } });
      // A request without any token spends nothing and still gets the door page.
      expect((await request('/', { headers: { Accept: 'text/html' } })).body).toBe(DOOR_HTML);

      // The page that was open before keeps its connection and is answered.
      const answered = new Promise<string>((resolve) => open.once('message', (data: Buffer) => resolve(data.toString())));
      open.send(JSON.stringify({ t: 'call', id: 7, method: 'containers.list', args: {} }));
      expect(await answered).toContain('"id":7');

      now += TOKEN_GUESS_POLICY.refillMs;
      expect((await request(WHOAMI_PATH, { headers: bearer() })).status).toBe(204);
      open.terminate();
    });

    it('makes 1,000 wrong tokens take hours for a guesser that retries the moment Retry-After allows, and then takes the right one', async () => {
      const start = now;
      let wrong = 0;
      while (wrong < 1_000) {
        const reply = await request(WHOAMI_PATH, { headers: bearer(`guess-${wrong}`) });
        if (reply.status === 429) now += Number(reply.headers['retry-after']) * 1000;
        else {
          expect(reply.status).toBe(401);
          wrong += 1;
        }
      }
      const hours = (now - start) / 3_600_000;
      console.log(
        `1,000 wrong tokens against the server: ${hours.toFixed(2)} h of waiting (${TOKEN_GUESS_POLICY.burst} at once, then one per ${TOKEN_GUESS_POLICY.refillMs / 1000} s)`,
      );
      expect(hours).toBeGreaterThan(3);
      now += TOKEN_GUESS_POLICY.refillMs;
      expect((await request(WHOAMI_PATH, { headers: bearer() })).status).toBe(204);
    });

    it('does not count what a hostile page can send: wrong tokens refused for their Host, Origin or fetch metadata first', async () => {
      for (let n = 0; n < 20; n += 1) {
        expect((await request(WHOAMI_PATH, { headers: { ...bearer(`x${n}`), Origin: 'https://evil.example' } })).status).toBe(
          403,
        );
        expect((await request(WHOAMI_PATH, { headers: { ...bearer(`y${n}`), Host: `rebind.example:${port()}` } })).status).toBe(
          421,
        );
        const planted = { Cookie: `${cookieName(port())}=z${n}`, 'Sec-Fetch-Site': 'same-site' };
        expect((await request(WHOAMI_PATH, { headers: { ...planted, 'Sec-Fetch-Mode': 'no-cors' } })).status).toBe(403);
        expect((await request('/', { headers: { ...planted, 'Sec-Fetch-Mode': 'navigate', Accept: 'text/html' } })).status).toBe(
          401,
        );
        expect((await upgrade({ Cookie: `${cookieName(port())}=w${n}`, Origin: 'https://evil.example' })).status).toBe(403);
      }
      // The whole budget is still there: five wrong tokens are answered 401, not 429.
      for (let n = 0; n < TOKEN_GUESS_POLICY.burst; n += 1) {
        expect((await request(WHOAMI_PATH, { headers: bearer(`wrong-${n}`) })).status).toBe(401);
      }
    });
  });
});
