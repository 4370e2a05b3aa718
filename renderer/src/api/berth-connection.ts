/**
 * The renderer's one way to the app: window.berth in Electron (exposed by the preload), a WebSocket
 * in browser mode. Either way the renderer gets the same typed BerthClient.
 */
import { createRawClient, unwrapClient, type BerthClient, type RawBerthClient } from '../../../app/contract/client';
import { connectWebSocket } from './websocket-carrier';

export interface BerthConnection {
  readonly client: BerthClient;
  readonly transport: 'electron' | 'browser';
  /** Resolves with a readable reason when the link to the app is lost for good. */
  readonly lost: Promise<string>;
}

declare global {
  interface Window {
    berth?: RawBerthClient;
  }
}

export function connectToBerth(): BerthConnection {
  if (window.berth) {
    return { client: unwrapClient(window.berth), transport: 'electron', lost: new Promise(() => undefined) };
  }
  const carrier = connectWebSocket();
  const raw = createRawClient(carrier);
  const lost = carrier.closed.then((reason) => {
    raw.close();
    return reason;
  });
  return { client: unwrapClient(raw), transport: 'browser', lost };
}
