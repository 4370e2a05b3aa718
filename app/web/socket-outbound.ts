/**
 * What a WebSocket holds for its peer and has not yet handed to the kernel. `ws` buffers without a
 * bound when the peer stops reading, so every frame is counted in and counted out (its write
 * callback). Above the high-water mark the session pulls no stream items and the socket stops reading
 * the peer's frames (no new calls, so no new replies) until the buffer drains below the low-water
 * mark. What is in flight past that (calls already running, one item per stream) is bounded by the
 * session's limits; the hard limit is the last resort for anything else: the connection is closed.
 */
import type { WebSocket } from 'ws';
import type { OutboundGate } from '../backend/session-bounds.js';

export interface OutboundMarks {
  highWater: number;
  lowWater: number;
  hardLimit: number;
}

export const DEFAULT_OUTBOUND_MARKS: OutboundMarks = {
  highWater: 4 * 1024 * 1024,
  lowWater: 1024 * 1024,
  hardLimit: 64 * 1024 * 1024,
};

export class SocketOutbound implements OutboundGate {
  private pending = 0;
  private paused = false;
  private readonly drainListeners = new Set<() => void>();

  constructor(
    private readonly socket: WebSocket,
    private readonly onHardLimit: (pendingBytes: number) => void,
    private readonly marks: OutboundMarks = DEFAULT_OUTBOUND_MARKS,
  ) {}

  get congested(): boolean {
    return this.pending > this.marks.highWater;
  }

  get pendingBytes(): number {
    return this.pending;
  }

  onDrain(listener: () => void): () => void {
    this.drainListeners.add(listener);
    return () => this.drainListeners.delete(listener);
  }

  send(frame: string | Uint8Array): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    const size = typeof frame === 'string' ? Buffer.byteLength(frame) : frame.byteLength;
    this.pending += size;
    if (this.pending > this.marks.hardLimit) {
      this.onHardLimit(this.pending);
      return;
    }
    this.socket.send(frame, () => this.written(size));
    if (this.congested && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private written(size: number): void {
    this.pending -= size;
    if (!this.paused || this.pending > this.marks.lowWater) return;
    this.paused = false;
    if (this.socket.readyState === this.socket.OPEN) this.socket.resume();
    for (const listener of [...this.drainListeners]) listener();
  }
}
