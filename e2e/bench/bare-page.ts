/**
 * A Berth page driven over a bare Chrome DevTools Protocol session, for measurements that Playwright's
 * own instrumentation would distort.
 *
 * Playwright enables the DevTools Network domain on every page it controls, and Chromium then reports
 * every WebSocket frame the page receives to it, payload included (base64 for a binary frame): 48 MB
 * of terminal output become 64 MB of protocol messages, which Chromium's browser process serializes
 * and the bench's own Node process parses, on the two cores the engine needs. Measured on an `od` run:
 * about 1.1 s of CPU (0.4 s in the page's renderer, 0.4 s in the browser process, 0.35 s in the
 * bench), a third of what Berth itself spends. Neither a user's browser nor the Electron app carries
 * that, and the `docker exec` reference has nothing like it. So this page lives in a browser context
 * Playwright did not create (Playwright detaches from those), and the bench drives it through a
 * session of its own that enables no domain: it evaluates expressions and sends key events, the same
 * Input.dispatchKeyEvent calls Playwright's keyboard makes.
 */
import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';

interface Reply {
  id?: number;
  result?: unknown;
  error?: { message: string };
}

class CdpConnection {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const reply = JSON.parse(data.toString('utf8')) as Reply;
      if (reply.id === undefined) return; // events: none are enabled, a few arrive anyway
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error) waiter?.reject(new Error(reply.error.message));
      else waiter?.resolve(reply.result);
    });
  }

  static async open(url: string): Promise<CdpConnection> {
    const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return new CdpConnection(socket);
  }

  send<T>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject }));
  }

  close(): void {
    this.socket.close();
  }
}

export interface BarePage {
  /** Evaluates an expression in the page (awaiting a promise) and returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Types text with a key event per character, as a person (and Playwright's keyboard.type) would. */
  type(text: string): Promise<void>;
  pressEnter(): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Chromium as Playwright starts it (same switches), plus a DevTools port for the bare session. */
export async function launchWithDevToolsPort(args: string[]): Promise<{ browser: Browser; port: number }> {
  const port = await freePort();
  const browser = await chromium.launch({
    executablePath: process.env.BERTH_CHROMIUM ?? '/usr/bin/chromium',
    args: [...args, `--remote-debugging-port=${port}`],
  });
  return { browser, port };
}

export async function openBarePage(port: number, url: string, viewport: { width: number; height: number }): Promise<BarePage> {
  const version = (await (await fetch(`http://127.0.0.1:${port}/json/version`)).json()) as { webSocketDebuggerUrl: string };
  const cdp = await CdpConnection.open(version.webSocketDebuggerUrl);
  const { browserContextId } = await cdp.send<{ browserContextId: string }>('Target.createBrowserContext');
  const { targetId } = await cdp.send<{ targetId: string }>('Target.createTarget', {
    url: 'about:blank',
    browserContextId,
    ...viewport,
  });
  const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
  const send = <T>(method: string, params: object = {}) => cdp.send<T>(method, params, sessionId);
  await send('Emulation.setDeviceMetricsOverride', { ...viewport, deviceScaleFactor: 1, mobile: false });
  await send('Page.navigate', { url });

  const key = (params: object) => send('Input.dispatchKeyEvent', params);
  return {
    async evaluate<T>(expression: string) {
      const reply = await send<{ result: { value: T }; exceptionDetails?: { text: string } }>('Runtime.evaluate', {
        expression,
        awaitPromise: true,
        returnByValue: true,
      });
      if (reply.exceptionDetails) throw new Error(`In the page: ${reply.exceptionDetails.text}`);
      return reply.result.value;
    },
    async type(text: string) {
      for (const character of text) {
        await key({ type: 'keyDown', key: character, text: character, unmodifiedText: character });
        await key({ type: 'keyUp', key: character });
      }
    },
    async pressEnter() {
      await key({ type: 'keyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r', unmodifiedText: '\r' });
      await key({ type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13 });
    },
    async close() {
      await cdp.send('Target.disposeBrowserContext', { browserContextId }).catch(() => undefined);
      cdp.close();
    },
  };
}

/** Polls an expression in the page until it is truthy (the page has no Playwright locators). */
export async function waitInPage(page: BarePage, expression: string, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(`Boolean(${expression})`))) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
