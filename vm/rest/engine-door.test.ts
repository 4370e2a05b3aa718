import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineDoor } from './engine-door.js';
import type { DoorGate } from './rest-controller.js';

/** Stands in for QEMU's forward: answers what it got once the client half-closes. */
async function echoServer(): Promise<{ port: number; connections: () => number; close: () => void }> {
  let connections = 0;
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    connections += 1;
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('end', () => socket.end(`got: ${received}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, connections: () => connections, close: () => server.close() };
}

function exchange(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.createConnection({ host: '127.0.0.1', port, allowHalfOpen: true });
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('end', () => socket.end());
    socket.on('close', () => resolve(answer));
    socket.end(text);
  });
}

const cleanup: Array<() => void> = [];
afterEach(() => cleanup.splice(0).forEach((fn) => fn()));

describe('EngineDoor', () => {
  it('relays bytes both ways, half-close kept, once the gate lets the connection in', async () => {
    const guest = await echoServer();
    cleanup.push(guest.close);
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const traffic: string[] = [];
    let asked = 0;
    const gate: DoorGate = {
      resting: false,
      enter: () => ((asked += 1), opened),
      track: () => ({
        fromClient: () => traffic.push('client'),
        fromEngine: () => traffic.push('engine'),
        closed: () => traffic.push('closed'),
      }),
    };
    const door = await EngineDoor.open({ guestPort: guest.port, gate });
    cleanup.push(() => door.dispose());
    const answer = exchange(door.port, 'ping');
    await expect.poll(() => asked).toBe(1);
    expect(guest.connections()).toBe(0); // the gate is shut: nothing reached the guest yet
    open();
    expect(await answer).toBe('got: ping');
    await expect.poll(() => traffic.includes('closed')).toBe(true);
    expect(traffic.slice(0, 2)).toEqual(['client', 'engine']);
  });

  it('closes the connection when the gate refuses', async () => {
    const guest = await echoServer();
    cleanup.push(guest.close);
    const gate: DoorGate = {
      resting: false,
      enter: () => Promise.reject(new Error('gone')),
      track: () => ({ fromClient: () => {}, fromEngine: () => {}, closed: () => {} }),
    };
    const door = await EngineDoor.open({ guestPort: guest.port, gate });
    cleanup.push(() => door.dispose());
    expect(await exchange(door.port, 'ping')).toBe('');
  });
});
