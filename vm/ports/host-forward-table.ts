/**
 * QEMU user-net forwards added and removed at run time through the monitor (`hostfwd_add` and
 * `hostfwd_remove` exist only as HMP commands, sent over QMP's `human-monitor-command`), and a check
 * that a host port is free before asking QEMU for it.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { ForwardProtocol, PortForward } from './port-plan.js';

type ForwardAddress = Pick<PortForward, 'protocol' | 'hostPort'>;
/** A forward whose port in the VM differs from the one on this computer (the relay's internal one). */
export type QemuForwardAddress = ForwardAddress & { guestPort?: number };

/** The forward table of the running VM; the forwarder sees only this, so it is tested with a fake. */
export interface HostForwardTable {
  /** Rejects with HostForwardError when QEMU refuses (the port is taken, most often). */
  add(forward: ForwardAddress): Promise<void>;
  remove(forward: ForwardAddress): Promise<void>;
}

export class HostForwardError extends Error {}

/** The user-net netdev id in the QEMU command line (`-netdev user,id=n0`). */
export const USER_NETDEV_ID = 'n0';
const HOST_ADDRESS = '127.0.0.1';

export function hostfwdAddCommand(forward: QemuForwardAddress, netdevId = USER_NETDEV_ID): string {
  // The guest address is left empty: QEMU uses the guest's DHCP address (10.0.2.15), where
  // docker-proxy listens on 0.0.0.0.
  const guestPort = forward.guestPort ?? forward.hostPort;
  return `hostfwd_add ${netdevId} ${forward.protocol}:${HOST_ADDRESS}:${forward.hostPort}-:${guestPort}`;
}

export function hostfwdRemoveCommand(forward: QemuForwardAddress, netdevId = USER_NETDEV_ID): string {
  return `hostfwd_remove ${netdevId} ${forward.protocol}:${HOST_ADDRESS}:${forward.hostPort}`;
}

/**
 * HMP answers hostfwd_add with nothing on success and with one line of text on failure ("Could not
 * set up host forwarding rule '…'", "unrecognized netdev id '…'"); hostfwd_remove says "… removed" or
 * "… not found". Returns the failure text, or null.
 */
export function monitorFailure(output: string): string | null {
  const text = output.trim();
  if (text === '' || / removed$/.test(text)) return null;
  return text;
}

export class QemuHostForwardTable implements HostForwardTable {
  constructor(
    private readonly monitor: (commandLine: string) => Promise<string>,
    private readonly netdevId = USER_NETDEV_ID,
  ) {}

  async add(forward: QemuForwardAddress): Promise<void> {
    const failure = monitorFailure(await this.monitor(hostfwdAddCommand(forward, this.netdevId)));
    if (failure) throw new HostForwardError(failure);
  }

  async remove(forward: ForwardAddress): Promise<void> {
    const failure = monitorFailure(await this.monitor(hostfwdRemoveCommand(forward, this.netdevId)));
    // "not found" means it is already gone, which is what was asked; anything else is a real failure.
    if (failure && !/ not found$/.test(failure)) throw new HostForwardError(failure);
  }
}

/**
 * Whether this computer's 127.0.0.1:port is free for the protocol, by binding it for a moment. QEMU's
 * own bind failure says only "Could not set up host forwarding rule"; this gives the reason, and for
 * UDP it is the only check (QEMU binds UDP with SO_REUSEADDR, so a taken UDP port may not fail there).
 */
export function isLoopbackPortFree(protocol: ForwardProtocol, port: number): Promise<boolean> {
  return protocol === 'tcp' ? tcpPortFree(port) : udpPortFree(port);
}

function tcpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: HOST_ADDRESS, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function udpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: false });
    socket.once('error', () => {
      try {
        socket.close();
      } catch {
        // A socket whose bind failed may already be closed.
      }
      resolve(false);
    });
    socket.bind({ port, address: HOST_ADDRESS, exclusive: true }, () => socket.close(() => resolve(true)));
  });
}
