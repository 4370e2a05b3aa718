/**
 * Browser mode's carrier: the API's messages over one WebSocket to the page's own origin. The cookie
 * set by the door page authenticates the upgrade. When the socket closes, the server's own words
 * about why (missing token, Berth stopped) are fetched so the page can say them.
 */
import type { ClientMessage, MessageCarrier, ServerMessage } from '../../../app/contract/wire';
import { decodeServerMessage } from '../../../app/contract/wire-codec';

export const WEBSOCKET_PATH = '/__berth/ws';
export const WHOAMI_PATH = '/__berth/whoami';

export interface WebSocketCarrier extends MessageCarrier {
  readonly opened: Promise<void>;
  /** Resolves with a reason a person can read once the connection is gone. */
  readonly closed: Promise<string>;
}

async function refusalReason(): Promise<string> {
  try {
    const response = await fetch(WHOAMI_PATH, { credentials: 'same-origin' });
    if (response.ok) return 'The connection to Berth was interrupted. Reload the page to reconnect.';
    const body = (await response.json().catch(() => ({}))) as { reason?: string };
    return body.reason ?? `Berth refused the connection (HTTP ${response.status}).`;
  } catch {
    return 'Berth is not running at this address any more. Start it again and open the link it prints.';
  }
}

export function connectWebSocket(): WebSocketCarrier {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WEBSOCKET_PATH}`;
  const socket = new WebSocket(url);
  const listeners = new Set<(message: ServerMessage) => void>();
  const outbox: string[] = [];

  const opened = new Promise<void>((resolve) =>
    socket.addEventListener('open', () => {
      for (const text of outbox.splice(0)) socket.send(text);
      resolve();
    }),
  );
  const closed = new Promise<string>((resolve) => socket.addEventListener('close', () => void refusalReason().then(resolve)));

  // Terminal output comes as binary frames: an ArrayBuffer is read as it is (a Blob would need an async read).
  socket.binaryType = 'arraybuffer';
  socket.addEventListener('message', (event: MessageEvent<string | ArrayBuffer>) => {
    let message: ServerMessage;
    try {
      message = decodeServerMessage(event.data);
    } catch {
      return;
    }
    for (const listener of listeners) listener(message);
  });

  return {
    opened,
    closed,
    send(message: ClientMessage) {
      if (socket.readyState === WebSocket.CLOSED || socket.readyState === WebSocket.CLOSING) {
        throw new Error('The connection to Berth is closed.');
      }
      const text = JSON.stringify(message);
      if (socket.readyState === WebSocket.CONNECTING) outbox.push(text);
      else socket.send(text);
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
