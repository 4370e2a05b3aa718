import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GuestRestAgent } from './guest-agent.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-rest-agent-test-'));
const cleanup: Array<() => void> = [];
afterEach(() => cleanup.splice(0).forEach((fn) => fn()));

/** Stands in for QEMU's socket of the virtio-serial port, with the guest's agent behind it. */
async function fakeGuest(answer: (line: string) => string | null): Promise<{ socketPath: string; heard: string[] }> {
  const socketPath = path.join(dir, `agent-${cleanup.length}-${Date.now()}.sock`);
  const heard: string[] = [];
  const server = net.createServer((socket) => {
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        heard.push(line);
        const reply = answer(line);
        if (reply !== null) socket.write(`${reply}\n`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  cleanup.push(() => server.close());
  return { socketPath, heard };
}

describe('GuestRestAgent', () => {
  it('asks for container processes and available memory, drops caches and sets the clock, one line each', async () => {
    const answers: Record<string, string> = { busy: 'busy 3', 'mem-free': 'mem-free 1712340' };
    const guest = await fakeGuest((line) => answers[line] ?? 'ok');
    const agent = await GuestRestAgent.connect(guest.socketPath);
    cleanup.push(() => agent.dispose());
    expect(await agent.containerProcesses()).toBe(3);
    expect(await agent.memFreeKiB()).toBe(1_712_340);
    await agent.dropCaches();
    await agent.setClock(1_800_000_000_400);
    expect(guest.heard).toEqual(['busy', 'mem-free', 'drop-caches', 'set-time 1800000000']);
  });

  it('says what the agent answered when it is not what was asked for', async () => {
    const guest = await fakeGuest((line) => (line === 'busy' ? 'busy many' : 'error set-time'));
    const agent = await GuestRestAgent.connect(guest.socketPath);
    cleanup.push(() => agent.dispose());
    await expect(agent.containerProcesses()).rejects.toThrow(`The VM's rest agent answered "busy many" to busy.`);
    await expect(agent.setClock(0)).rejects.toThrow(`The VM's rest agent answered "error set-time" to set-time.`);
  });

  it('gives up on a guest that does not answer, and is closed after it', async () => {
    const guest = await fakeGuest(() => null);
    const agent = await GuestRestAgent.connect(guest.socketPath);
    cleanup.push(() => agent.dispose());
    await expect(agent.dropCaches(50)).rejects.toThrow(`The VM's rest agent did not answer drop-caches within 50 ms.`);
    expect(agent.isClosed).toBe(true);
    await expect(agent.containerProcesses()).rejects.toThrow('not connected');
  });
});
