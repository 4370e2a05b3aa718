import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { describe, expect, it, vi } from 'vitest';
import { SocketOutbound } from './socket-outbound.js';

/** A WebSocket that keeps each frame's write callback until the test says the kernel took it. */
function fakeSocket() {
  const written: Array<() => void> = [];
  const socket = Object.assign(new EventEmitter(), {
    OPEN: 1,
    readyState: 1,
    send: vi.fn((_frame: unknown, callback: () => void) => written.push(callback)),
    pause: vi.fn(),
    resume: vi.fn(),
  });
  return {
    socket,
    ws: socket as unknown as WebSocket,
    flush: (count = written.length) => written.splice(0, count).forEach((done) => done()),
  };
}

const marks = { highWater: 100, lowWater: 40, hardLimit: 1_000 };

describe('SocketOutbound', () => {
  it('is congested above the high-water mark and stops reading the peer until it drains below the low one', () => {
    const { socket, ws, flush } = fakeSocket();
    const outbound = new SocketOutbound(ws, vi.fn(), marks);
    const drained = vi.fn();
    outbound.onDrain(drained);
    for (let n = 0; n < 4; n += 1) outbound.send('x'.repeat(30));
    expect(outbound.congested).toBe(true);
    expect(socket.pause).toHaveBeenCalledTimes(1);
    flush(2);
    expect(outbound.pendingBytes).toBe(60);
    expect(drained).not.toHaveBeenCalled();
    flush(1);
    expect(outbound.congested).toBe(false);
    expect(socket.resume).toHaveBeenCalledTimes(1);
    expect(drained).toHaveBeenCalledTimes(1);
  });

  it('counts bytes, not characters, and binary frames by their length', () => {
    const { ws } = fakeSocket();
    const outbound = new SocketOutbound(ws, vi.fn(), marks);
    outbound.send('é');
    outbound.send(new Uint8Array(7));
    expect(outbound.pendingBytes).toBe(9);
  });

  it('gives up on a peer past the hard limit instead of buffering more', () => {
    const { socket, ws } = fakeSocket();
    const onHardLimit = vi.fn();
    const outbound = new SocketOutbound(ws, onHardLimit, marks);
    for (let n = 0; n < 11; n += 1) outbound.send('x'.repeat(100));
    expect(onHardLimit).toHaveBeenCalledWith(1_100);
    expect(socket.send).toHaveBeenCalledTimes(10);
  });

  it('sends nothing on a socket that is not open', () => {
    const { socket, ws } = fakeSocket();
    socket.readyState = 3;
    new SocketOutbound(ws, vi.fn(), marks).send('x');
    expect(socket.send).not.toHaveBeenCalled();
  });
});
