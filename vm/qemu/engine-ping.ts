/**
 * The last step of a VM start: dockerd has said inside the guest that it listens, and the host is
 * ready when `_ping` answers through QEMU's forward of 127.0.0.1:PORT, over this installation's mutual
 * TLS. A few tries may be needed while QEMU's user network sets up the forward's first connection.
 */
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { TlsMaterial } from '../../engine/core/index.js';
import { VmError } from '../vm-error.js';

export interface EnginePingTarget {
  port: number;
  tls: TlsMaterial;
  /** Stop trying once this is false (QEMU exited). */
  alive: () => boolean;
}

const TRY_EVERY_MS = 100;

function pingOnce({ port, tls }: EnginePingTarget): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const request = https.request(
      { host: '127.0.0.1', port, path: '/_ping', ...tls, agent: false, timeout: 5_000 },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      },
    );
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
    request.end();
  });
}

export async function waitForEnginePing(target: EnginePingTarget, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline && target.alive()) {
    if (await pingOnce(target)) return;
    await new Promise((resolve) => setTimeout(resolve, TRY_EVERY_MS));
  }
  throw new VmError('The engine in the VM did not answer over TLS.');
}
