import { EventEmitter } from 'node:events';
import type tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineSpares } from './engine-spares.js';

/** A connection whose handshake the test finishes; records whether it was dropped. */
class FakeConnection extends EventEmitter {
  destroyed = false;
  private done!: () => void;
  readonly ready = new Promise<void>((resolve) => (this.done = resolve));
  handshake() {
    this.done();
  }
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('close');
  }
}

const pools: EngineSpares[] = [];
afterEach(() => pools.splice(0).forEach((pool) => pool.dispose()));

function pool(options: { resting?: () => boolean; refuse?: () => boolean } = {}) {
  const opened: FakeConnection[] = [];
  const spares = new EngineSpares({
    count: 2,
    open: () => {
      if (options.refuse?.()) return null;
      const connection = new FakeConnection();
      opened.push(connection);
      return { socket: connection as unknown as tls.TLSSocket, ready: connection.ready };
    },
    resting: options.resting ?? (() => false),
    maxAwakeAgeMs: 30,
    tickMs: 10,
  });
  pools.push(spares);
  return { spares, opened };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('EngineSpares', () => {
  it('hands out only connections whose handshake is done, and fills up again', async () => {
    const { spares, opened } = pool();
    expect(opened).toHaveLength(2);
    expect(spares.take()).toBeNull();
    opened[1]!.handshake();
    await Promise.resolve();
    expect(spares.take()).toBe(opened[1]);
    expect(opened).toHaveLength(3);
  });

  it('replaces a spare after its awake time, before dockerd would close it', async () => {
    const { opened } = pool();
    opened.forEach((connection) => connection.handshake());
    await wait(60);
    expect(opened[0]!.destroyed).toBe(true);
    expect(opened.length).toBeGreaterThanOrEqual(4);
  });

  it('neither ages nor opens spares while the VM rests', async () => {
    let resting = false;
    const { spares, opened } = pool({ resting: () => resting });
    opened.forEach((connection) => connection.handshake());
    resting = true;
    await wait(60);
    expect(opened).toHaveLength(2);
    expect(opened.some((connection) => connection.destroyed)).toBe(false);
    expect(spares.readyCount).toBe(2);
  });

  it('drops a spare the engine closed and does not open it again in a loop', async () => {
    const { spares, opened } = pool();
    opened[0]!.destroy();
    opened[1]!.destroy();
    expect(opened).toHaveLength(2);
    expect(spares.readyCount).toBe(0);
    await wait(15); // the next tick fills the pool
    expect(opened).toHaveLength(4);
  });

  it('opens nothing while there is no engine', () => {
    const { spares, opened } = pool({ refuse: () => true });
    expect(opened).toHaveLength(0);
    expect(spares.take()).toBeNull();
  });
});
