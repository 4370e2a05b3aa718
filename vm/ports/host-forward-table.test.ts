import dgram from 'node:dgram';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  HostForwardError,
  hostfwdAddCommand,
  hostfwdRemoveCommand,
  isLoopbackPortFree,
  monitorFailure,
  QemuHostForwardTable,
} from './host-forward-table.js';

describe('hostfwd monitor commands', () => {
  it('forwards the host’s 127.0.0.1 port to the same port on the guest', () => {
    expect(hostfwdAddCommand({ protocol: 'tcp', hostPort: 8080 })).toBe('hostfwd_add n0 tcp:127.0.0.1:8080-:8080');
    expect(hostfwdRemoveCommand({ protocol: 'udp', hostPort: 53 })).toBe('hostfwd_remove n0 udp:127.0.0.1:53');
  });

  it('forwards an internal host port to another guest port (the relay’s side of a published port)', () => {
    expect(hostfwdAddCommand({ protocol: 'tcp', hostPort: 41234, guestPort: 8080 })).toBe(
      'hostfwd_add n0 tcp:127.0.0.1:41234-:8080',
    );
  });

  it('reads QEMU 7.2’s answers: empty or "removed" is success, any other text a failure', () => {
    expect(monitorFailure('')).toBeNull();
    expect(monitorFailure('host forwarding rule for tcp:127.0.0.1:8080 removed\r\n')).toBeNull();
    expect(monitorFailure("Could not set up host forwarding rule 'tcp:127.0.0.1:8080-:8080'\r\n")).toBe(
      "Could not set up host forwarding rule 'tcp:127.0.0.1:8080-:8080'",
    );
  });

  it('throws QEMU’s text on a refused add, and treats "not found" on remove as already removed', async () => {
    const answers: Record<string, string> = {
      'hostfwd_add n0 tcp:127.0.0.1:8080-:8080': "Could not set up host forwarding rule 'tcp:127.0.0.1:8080-:8080'\r\n",
      'hostfwd_remove n0 tcp:127.0.0.1:8080': 'host forwarding rule for tcp:127.0.0.1:8080 not found\r\n',
    };
    const table = new QemuHostForwardTable(async (command) => answers[command] ?? '');
    await expect(table.add({ protocol: 'tcp', hostPort: 8080 })).rejects.toBeInstanceOf(HostForwardError);
    await expect(table.remove({ protocol: 'tcp', hostPort: 8080 })).resolves.toBeUndefined();
    await expect(table.add({ protocol: 'tcp', hostPort: 8081 })).resolves.toBeUndefined();
  });
});

describe('isLoopbackPortFree', () => {
  it('sees a TCP port taken by a listener, and free again once it closes', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    expect(await isLoopbackPortFree('tcp', port)).toBe(false);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await isLoopbackPortFree('tcp', port)).toBe(true);
  });

  it('sees a UDP port taken even when its owner set SO_REUSEADDR', async () => {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const { port } = socket.address();
    expect(await isLoopbackPortFree('udp', port)).toBe(false);
    await new Promise<void>((resolve) => socket.close(resolve));
    expect(await isLoopbackPortFree('udp', port)).toBe(true);
  });
});
