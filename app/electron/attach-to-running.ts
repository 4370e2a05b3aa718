/**
 * A window over a Berth that is already running (a headless one, from `berth start`): instead of a
 * second backend, each window's IPC messages go over the control socket to that Berth, and its
 * answers come back. Thin on purpose: the running Berth validates everything, as for any client.
 * (Not run here: there is no Electron binary on our build machines.)
 */
import { ipcMain, type WebContents } from 'electron';
import WebSocket from 'ws';
import { CONTROL_WEBSOCKET_PATH } from '../control/control-socket.js';
import { decodeServerMessage } from '../contract/wire-codec.js';
import { IPC_CHANNEL } from '../contract/wire.js';
import { isTrustedSender } from './window-security.js';

interface Relay {
  send(text: string): void;
}

export function relayWindowsTo(socketPath: string, onLost: () => void): void {
  const relays = new Map<number, Relay>();
  const relayFor = (contents: WebContents): Relay => {
    const existing = relays.get(contents.id);
    if (existing) return existing;
    const ws = new WebSocket(`ws+unix://${socketPath}:${CONTROL_WEBSOCKET_PATH}`);
    const outbox: string[] = [];
    ws.on('open', () => outbox.splice(0).forEach((text) => ws.send(text)));
    ws.on('message', (data, isBinary) => {
      const bytes = Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data as ArrayBuffer)]);
      try {
        const message = decodeServerMessage(isBinary ? new Uint8Array(bytes) : bytes.toString('utf8'));
        if (!contents.isDestroyed()) contents.send(IPC_CHANNEL, message);
      } catch {
        // a frame we cannot read is dropped, as the page's own carrier does
      }
    });
    const relay: Relay = { send: (text) => (ws.readyState === ws.OPEN ? ws.send(text) : void outbox.push(text)) };
    // The headless Berth ended (berth quit): this window has nothing to talk to.
    ws.on('close', () => relays.get(contents.id) === relay && onLost());
    ws.on('error', () => ws.terminate());
    contents.once('destroyed', () => {
      relays.delete(contents.id);
      ws.close();
    });
    relays.set(contents.id, relay);
    return relay;
  };
  ipcMain.on(IPC_CHANNEL, (event, message: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url)) return; // not our page: ignore, never answer
    relayFor(event.sender).send(JSON.stringify(message));
  });
}
