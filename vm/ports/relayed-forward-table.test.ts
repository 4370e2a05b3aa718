import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  HostForwardError,
  hostfwdAddCommand,
  hostfwdRemoveCommand,
  isLoopbackPortFree,
  type QemuForwardAddress,
} from './host-forward-table.js';
import { RelayedForwardTable } from './relayed-forward-table.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** QEMU's monitor as far as the table uses it: the commands it got, and internal ports it refuses. */
function fakeQemu(refusedHostPorts: ReadonlySet<number> = new Set()) {
  const commands: string[] = [];
  return {
    commands,
    add: async (forward: QemuForwardAddress) => {
      commands.push(hostfwdAddCommand(forward));
      if (refusedHostPorts.has(forward.hostPort)) throw new HostForwardError('Could not set up host forwarding rule');
    },
    remove: async (forward: QemuForwardAddress) => void commands.push(hostfwdRemoveCommand(forward)),
  };
}

describe('RelayedForwardTable', () => {
  it('publishes a TCP port as its own listener in front of a QEMU forward on an internal port, and takes both away', async () => {
    const qemu = fakeQemu();
    const table = new RelayedForwardTable({ qemu, freePort: async () => 41000 });
    cleanups.push(() => table.dispose());
    const hostPort = await freePort();
    await table.add({ protocol: 'tcp', hostPort });
    expect(qemu.commands).toEqual([`hostfwd_add n0 tcp:127.0.0.1:41000-:${hostPort}`]);
    expect(table.internalPortOf(hostPort)).toBe(41000);
    expect(await isLoopbackPortFree('tcp', hostPort)).toBe(false); // Berth holds it now

    await table.remove({ protocol: 'tcp', hostPort });
    expect(qemu.commands.at(-1)).toBe('hostfwd_remove n0 tcp:127.0.0.1:41000');
    expect(await isLoopbackPortFree('tcp', hostPort)).toBe(true);
  });

  it('leaves UDP to QEMU on the published port itself', async () => {
    const qemu = fakeQemu();
    const table = new RelayedForwardTable({ qemu, freePort: () => Promise.reject(new Error('not for UDP')) });
    await table.add({ protocol: 'udp', hostPort: 5353 });
    await table.remove({ protocol: 'udp', hostPort: 5353 });
    expect(qemu.commands).toEqual(['hostfwd_add n0 udp:127.0.0.1:5353-:5353', 'hostfwd_remove n0 udp:127.0.0.1:5353']);
  });

  it('tries another internal port when QEMU could not bind one', async () => {
    const qemu = fakeQemu(new Set([41000]));
    const ports = [41000, 41001];
    const table = new RelayedForwardTable({ qemu, freePort: async () => ports.shift()! });
    cleanups.push(() => table.dispose());
    const hostPort = await freePort();
    await table.add({ protocol: 'tcp', hostPort });
    expect(table.internalPortOf(hostPort)).toBe(41001);
  });

  it('says the published port is in use when someone took it, and removes the internal forward it made', async () => {
    const squatter = net.createServer();
    const hostPort = await new Promise<number>((resolve) =>
      squatter.listen(0, '127.0.0.1', () => resolve((squatter.address() as net.AddressInfo).port)),
    );
    cleanups.push(() => squatter.close());
    const qemu = fakeQemu();
    const table = new RelayedForwardTable({ qemu, freePort: async () => 41000 });
    const error = await table.add({ protocol: 'tcp', hostPort }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostForwardError);
    expect((error as Error).message).toBe('address already in use');
    expect(qemu.commands).toEqual([`hostfwd_add n0 tcp:127.0.0.1:41000-:${hostPort}`, 'hostfwd_remove n0 tcp:127.0.0.1:41000']);
    expect(table.internalPortOf(hostPort)).toBeNull();
  });

  it('frees every published port on dispose (the VM stopped), leaving QEMU’s forwards to QEMU', async () => {
    const qemu = fakeQemu();
    let next = 41000;
    const table = new RelayedForwardTable({ qemu, freePort: async () => next++ });
    const ports = [await freePort(), await freePort()];
    for (const hostPort of ports) await table.add({ protocol: 'tcp', hostPort });
    const commands = qemu.commands.length;
    table.dispose();
    for (const hostPort of ports) expect(await isLoopbackPortFree('tcp', hostPort)).toBe(true);
    expect(qemu.commands).toHaveLength(commands);
  });
});
