/**
 * The engine's 301 for a path with "//" is not followed (found by the API fuzzer): following it made
 * Berth connect to a host taken from the caller's input and end in an uncaught DNS error.
 */
import net from 'node:net';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createDockerode } from './engine-connection.js';

const socketPath = inject('socketPath');

describe("the engine's redirects (real dockerd)", () => {
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  let listener: net.Server | undefined;

  afterEach(async () => {
    process.off('uncaughtException', onUncaught);
    await new Promise((resolve) => (listener ? listener.close(resolve) : resolve(undefined)));
  });

  it('answers a "//" path with an error and connects nowhere else', async () => {
    let connections = 0;
    listener = net.createServer((socket) => ((connections += 1), socket.destroy()));
    await new Promise<void>((resolve) => listener!.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    process.on('uncaughtException', onUncaught);

    const docker = createDockerode({ kind: 'unix', socketPath });
    for (const reference of ['x//images', `x//127.0.0.1:${port}/y`, `o.@:Sv2//127.0.0.1:${port}`]) {
      await expect(docker.getImage(reference).inspect(), reference).rejects.toThrow();
    }
    // A followed redirect would be a request after the answer: give it the time to show.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(uncaught).toEqual([]);
    expect(connections).toBe(0);
  });
});
