/**
 * Browser mode over real HTTP and a real WebSocket, with the real implementation over the private
 * dockerd: the door (token, Host, Origin), the cookie, and API calls and streams through the typed client.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { createBerthImplementation } from '../backend/berth-api.js';
import { createEngineServices, type EngineServices } from '../backend/engine-services.js';
import { createRawClient, unwrapClient, type BerthClient } from '../contract/client.js';
import { berthContract, type EngineEventItem } from '../contract/contract.js';
import type { TerminalFrame } from '../contract/terminal-contract.js';
import { BerthApiError } from '../contract/errors.js';
import type { MessageCarrier, ServerMessage } from '../contract/wire.js';
import { decodeServerMessage } from '../contract/wire-codec.js';
import { removeContainers } from '../../engine/testing/engine-fixture.js';
import { uniqueName } from '../../engine/testing/names.js';
import { BUSYBOX_IMAGE, dockerCli } from '../../engine/testing/test-images.js';
import { waitFor } from '../../engine/testing/wait-for.js';
import { DOOR_HTML, DOOR_SCRIPT, SESSION_PATH } from './door-page.js';
import { cookieName } from './request-guard.js';
import { WEBSOCKET_PATH, WHOAMI_PATH, startWebServer, type WebServer } from './web-server.js';

const dockerHost = inject('dockerHost');
const socketPath = inject('socketPath');
const INDEX_HTML = `<!doctype html><title>renderer ${randomBytes(4).toString('hex')}</title>`;

/** How many interactive shells run in the container. */
async function shellsIn(container: string): Promise<number> {
  const processes = await dockerCli(dockerHost, ['exec', container, 'ps', '-o', 'args']);
  return processes.split('\n').filter((line) => line.trim() === '/bin/sh').length;
}

function parseMessage(data: WebSocket.RawData, isBinary: boolean): ServerMessage {
  const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(new Uint8Array(data));
  return decodeServerMessage(isBinary ? bytes : bytes.toString('utf8'));
}

/** The reason of a refusal's JSON body. */
function reasonOf(reply: { body: string }): string {
  return (JSON.parse(reply.body) as { reason: string }).reason;
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('web server (real HTTP, real engine)', () => {
  let services: EngineServices;
  let server: WebServer;
  let rendererDir: string;
  let container: { name: string; id: string };
  const containers: string[] = [];
  const sockets: WebSocket[] = [];

  const origin = () => `http://127.0.0.1:${server.port}`;
  const goodCookie = () => `${cookieName(server.port)}=${server.token}`;

  function request(path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const outgoing = http.request(
        { host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: options.headers, agent: false },
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

  /** Opens the API WebSocket; resolves with the socket, or with the HTTP status that refused it. */
  function openSocket(headers: Record<string, string>, path = WEBSOCKET_PATH): Promise<WebSocket | number> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers });
      sockets.push(ws);
      ws.once('open', () => resolve(ws));
      ws.once('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        response.resume();
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }

  async function openClient(): Promise<{ client: BerthClient; ws: WebSocket; received: ServerMessage[] }> {
    const ws = await openSocket({ Cookie: goodCookie(), Origin: origin() });
    if (typeof ws === 'number') throw new Error(`The WebSocket was refused with ${ws}`);
    const received: ServerMessage[] = [];
    ws.on('message', (data, isBinary) => received.push(parseMessage(data, isBinary)));
    const carrier: MessageCarrier = {
      send: (message) => ws.send(JSON.stringify(message)),
      onMessage: (listener) => {
        const handler = (data: WebSocket.RawData, isBinary: boolean) => listener(parseMessage(data, isBinary));
        ws.on('message', handler);
        return () => ws.off('message', handler);
      },
    };
    return { client: unwrapClient(createRawClient(carrier)), ws, received };
  }

  beforeAll(async () => {
    services = createEngineServices({ kind: 'unix', socketPath });
    await waitFor('the engine connection', () => services.connection.state.kind === 'connected');
    rendererDir = mkdtempSync(join(tmpdir(), 'berth-renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), INDEX_HTML);
    server = await startWebServer({ rendererDir, implementation: createBerthImplementation(services) });
    const name = uniqueName('web');
    containers.push(name);
    container = { name, id: await dockerCli(dockerHost, ['run', '-d', '--name', name, BUSYBOX_IMAGE, 'sleep', '3600']) };
  });

  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await server?.close();
    await services?.dispose();
    await removeContainers(dockerHost, containers);
    rmSync(rendererDir, { recursive: true, force: true });
  });

  describe('the door', () => {
    it('listens on 127.0.0.1 and prints a link with the token in the fragment', () => {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
      expect(server.token.length).toBeGreaterThanOrEqual(32);
    });

    it('answers a page request without a token with 401 and the door page', async () => {
      const reply = await request('/', { headers: { Accept: 'text/html,application/xhtml+xml' } });
      expect(reply.status).toBe(401);
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(reply.body).toBe(DOOR_HTML);
      expect(reply.headers['content-security-policy']).toContain("default-src 'none'");
      expect(reply.headers['x-frame-options']).toBe('DENY');
    });

    it('answers any other request without a token with 401 and a JSON reason', async () => {
      const reply = await request('/index.html', { headers: { Accept: 'application/json' } });
      expect(reply.status).toBe(401);
      expect(reply.headers['content-type']).toBe('application/json');
      expect(reasonOf(reply)).toContain('carries no Berth token');
      expect(reply.body).not.toContain(INDEX_HTML);
    });

    it('serves the door script without a token', async () => {
      const reply = await request('/__berth/door.js');
      expect(reply.status).toBe(200);
      expect(reply.body).toBe(DOOR_SCRIPT);
    });

    it('refuses a wrong Bearer token with 401, saying it is wrong', async () => {
      const reply = await request('/', { headers: { Authorization: `Bearer ${server.token.slice(1)}x` } });
      expect(reply.status).toBe(401);
      expect(reasonOf(reply)).toContain('wrong or from an earlier start');
    });

    it('serves the renderer with the right Bearer token, and the app shell for app routes', async () => {
      const headers = { Authorization: `Bearer ${server.token}` };
      for (const path of ['/', '/containers/abc']) {
        const reply = await request(path, { headers });
        expect(reply.status).toBe(200);
        expect(reply.body).toBe(INDEX_HTML);
      }
    });

    // Host, Origin and fetch-metadata variants, and the guessing budget: web-door.integration.test.ts.

    it('trades the token for an HttpOnly, SameSite=Strict cookie that then opens the app', async () => {
      const refused = await request(SESSION_PATH, {
        method: 'POST',
        headers: { Origin: origin(), Authorization: 'Bearer wrong' },
      });
      expect(refused.status).toBe(401);
      expect(refused.headers['set-cookie']).toBeUndefined();

      const reply = await request(SESSION_PATH, {
        method: 'POST',
        headers: { Origin: origin(), Authorization: `Bearer ${server.token}` },
      });
      expect(reply.status).toBe(204);
      const [cookie] = reply.headers['set-cookie'] ?? [];
      expect(cookie).toBeDefined();
      const parts = cookie!.split(';').map((part) => part.trim());
      expect(parts[0]).toBe(goodCookie());
      expect(parts).toContain('HttpOnly');
      expect(parts).toContain('SameSite=Strict');
      expect(parts).toContain('Path=/');

      const page = await request('/', { headers: { Cookie: parts[0]!, Accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(page.body).toBe(INDEX_HTML);
      expect((await request(WHOAMI_PATH, { headers: { Cookie: parts[0]! } })).status).toBe(204);
      expect((await request(WHOAMI_PATH)).status).toBe(401);
    });

    it('survives malformed %-escapes in the cookie and the path', async () => {
      const badCookie = await request('/', { headers: { Cookie: `${cookieName(server.port)}=%E0%A4%A` } });
      expect(badCookie.status).toBe(401);
      const badPath = await request('/%E0%A4%A', { headers: { Cookie: goodCookie() } });
      expect(badPath.status).toBe(400);
      expect((await request(WHOAMI_PATH, { headers: { Cookie: goodCookie() } })).status).toBe(204);
    });

    it('does not serve files outside the renderer directory', async () => {
      const reply = await request('/..%2f..%2f..%2fetc%2fpasswd', { headers: { Cookie: goodCookie() } });
      expect(reply.status).toBe(404);
      expect(reply.body).not.toContain('root:');
    });
  });

  describe('the API WebSocket', () => {
    it('is refused without the right cookie, from a foreign or missing Origin, and on another path', async () => {
      expect(await openSocket({ Cookie: `${cookieName(server.port)}=wrong`, Origin: origin() })).toBe(401);
      expect(await openSocket({ Origin: origin() })).toBe(401);
      expect(await openSocket({ Cookie: goodCookie(), Origin: 'https://evil.example' })).toBe(403);
      expect(await openSocket({ Cookie: goodCookie() })).toBe(403);
      expect(await openSocket({ Cookie: goodCookie(), Origin: origin(), Host: `evil.example:${server.port}` })).toBe(421);
      expect(await openSocket({ Cookie: goodCookie(), Origin: origin() }, '/other')).toBe(403);
    });

    it("lists the container the CLI created, in the contract's result shape", async () => {
      const { client } = await openClient();
      const containers = await client.containers.list({});
      expect(berthContract.containers.list.result.safeParse(containers).success).toBe(true);
      expect(containers.find((summary) => summary.id === container.id)).toMatchObject({
        name: container.name,
        image: BUSYBOX_IMAGE,
        state: 'running',
      });
    });

    it('answers an unknown field in the arguments with invalid-request', async () => {
      const { client } = await openClient();
      const error = await client.containers.list({ all: true } as never).catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(BerthApiError);
      expect(error).toMatchObject({ code: 'invalid-request', message: expect.stringContaining('"all"') as string });
    });

    it('answers engine errors with their code', async () => {
      const { client } = await openClient();
      const ghost = uniqueName('ghost');
      await expect(client.containers.start({ id: ghost })).rejects.toMatchObject({ code: 'not-found' });
      await expect(client.volumes.create({ name: '-bad' })).rejects.toMatchObject({ code: 'invalid-request' });
    });

    it('answers a message that is not JSON with invalid-request and stays open', async () => {
      const { client, ws, received } = await openClient();
      ws.send('this is not json');
      await waitFor('the error reply', () => received.find((message) => message.t === 'error' && message.id === -1));
      expect(received.find((message) => message.t === 'error')).toMatchObject({ error: { code: 'invalid-request' } });
      expect(Array.isArray(await client.images.list({}))).toBe(true);
    });

    it('streams engine events', async () => {
      const { client } = await openClient();
      const items: EngineEventItem[] = [];
      const subscription = client.engine.events({}, { next: (item) => void items.push(item) });
      try {
        // The subscription is live once a call made after it is answered (messages are ordered).
        await client.volumes.list({});
        const name = uniqueName('web-event');
        containers.push(name);
        const id = await dockerCli(dockerHost, ['create', '--name', name, BUSYBOX_IMAGE, 'true']);
        await waitFor('the create event', () =>
          items.find((item) => item.kind === 'event' && item.event.id === id && item.event.action === 'create'),
        );
      } finally {
        subscription.dispose();
      }
    });

    it('runs a terminal session: output, input, and closing it ends the shell', async () => {
      const { client } = await openClient();
      const session = await client.terminal.open({ containerId: container.name, mode: 'shell', cols: 80, rows: 24 });
      expect(session.command).toBe('/bin/sh');
      const frames: TerminalFrame[] = [];
      const attached = client.terminal.attach({ sessionId: session.id }, { next: (frame) => void frames.push(frame) });

      const token = randomBytes(6).toString('hex');
      await client.terminal.input({ sessionId: session.id, data: `echo "web-""${token}"\r` });
      const output = () =>
        Buffer.concat(frames.map((frame) => (frame.kind === 'ended' ? Buffer.alloc(0) : frame.data))).toString('utf8');
      await waitFor('the echoed token', () => output().includes(`web-${token}`));

      expect(await shellsIn(container.name)).toBe(1);
      attached.dispose();
      await client.terminal.close({ sessionId: session.id });
      await waitFor('the shell to be gone', async () => (await shellsIn(container.name)) === 0);
      const outcome = await client.terminal.input({ sessionId: session.id, data: 'x' }).catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(BerthApiError);
      expect((outcome as BerthApiError).code).toBe('not-found');
    });

    it('closing the socket detaches: the session lives on, and another page finds and closes it', async () => {
      const first = await openClient();
      const session = await first.client.terminal.open({ containerId: container.name, mode: 'shell', cols: 80, rows: 24 });
      first.client.terminal.attach({ sessionId: session.id }, { next: () => undefined });
      expect(await shellsIn(container.name)).toBe(1);
      first.ws.close();

      const second = await openClient();
      const listed = await second.client.terminal.list({});
      expect(listed.map((info) => info.id)).toContain(session.id);
      expect(await shellsIn(container.name)).toBe(1);
      await second.client.terminal.close({ sessionId: session.id });
      await waitFor('the shell to be gone', async () => (await shellsIn(container.name)) === 0);
    });
  });
});
