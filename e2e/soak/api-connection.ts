/**
 * Berth's typed client from Node, over the same WebSocket and wire format the page uses (token in the
 * Authorization header, our Origin), with the page's flow control: items acknowledged as they are read.
 */
import WebSocket from 'ws';
import { createRawClient, unwrapClient, type BerthClient } from '../../app/contract/client.js';
import type { ServerMessage } from '../../app/contract/wire.js';
import { decodeServerMessage } from '../../app/contract/wire-codec.js';
import { WEBSOCKET_PATH } from '../../app/web/web-server.js';

export interface ApiConnection {
  readonly api: BerthClient;
  /** Fails what is in flight and closes the socket; resolves once it is closed. */
  close(): Promise<void>;
}

export async function connectApi(port: number, token: string): Promise<ApiConnection> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${WEBSOCKET_PATH}`, {
    headers: { Authorization: `Bearer ${token}`, Origin: `http://127.0.0.1:${port}` },
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const listeners = new Set<(message: ServerMessage) => void>();
  ws.on('message', (data, isBinary) => {
    const bytes = Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data as Buffer)]);
    const message = decodeServerMessage(isBinary ? new Uint8Array(bytes) : bytes.toString('utf8'));
    for (const listener of listeners) listener(message);
  });
  const raw = createRawClient({
    send(message) {
      if (ws.readyState !== WebSocket.OPEN) throw new Error('The connection to Berth is closed.');
      ws.send(JSON.stringify(message));
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  return {
    api: unwrapClient(raw),
    async close() {
      raw.close();
      ws.close();
      await closed;
    },
  };
}
