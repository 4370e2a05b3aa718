/**
 * The forward table the VM uses: a published TCP port is Berth's own listener (tcp-relay.ts) in front
 * of a QEMU forward on an internal loopback port, so it holds at 100 concurrent clients where QEMU's
 * own listener (backlog 1) drops SYNs. UDP has no accept queue to overflow: it stays QEMU's forward on
 * the published port itself.
 */
import type { Disposable } from '../../base/index.js';
import { HostForwardError, type HostForwardTable, type QemuForwardAddress } from './host-forward-table.js';
import type { PortForward } from './port-plan.js';
import { TcpRelay, type TcpRelayOptions } from './tcp-relay.js';

type ForwardAddress = Pick<PortForward, 'protocol' | 'hostPort'>;

export interface RelayedForwardTableOptions {
  /** QEMU's forwards (QemuHostForwardTable; a fake in tests). */
  qemu: { add(forward: QemuForwardAddress): Promise<void>; remove(forward: QemuForwardAddress): Promise<void> };
  /** A loopback port nothing listens on, for QEMU's side of a relay. */
  freePort: () => Promise<number>;
  relay?: Pick<TcpRelayOptions, 'backlog' | 'dialer'>;
}

/** An internal port taken between the check and QEMU's bind: tried again with another. */
const INTERNAL_PORT_TRIES = 3;

export class RelayedForwardTable implements HostForwardTable, Disposable {
  private readonly relays = new Map<number, { relay: TcpRelay; internalPort: number }>();

  constructor(private readonly options: RelayedForwardTableOptions) {}

  async add(forward: ForwardAddress): Promise<void> {
    if (forward.protocol === 'udp') return this.options.qemu.add(forward);
    if (this.relays.has(forward.hostPort)) return;
    const internalPort = await this.addInternalForward(forward.hostPort);
    // QEMU's side first: once the published port accepts, the whole way into the VM is there.
    try {
      const relay = await TcpRelay.listen({ ...this.options.relay, hostPort: forward.hostPort, upstreamPort: internalPort });
      this.relays.set(forward.hostPort, { relay, internalPort });
    } catch (error) {
      await this.options.qemu.remove({ protocol: 'tcp', hostPort: internalPort }).catch(() => undefined);
      const code = (error as NodeJS.ErrnoException).code;
      throw new HostForwardError(code === 'EADDRINUSE' ? 'address already in use' : (error as Error).message);
    }
  }

  async remove(forward: ForwardAddress): Promise<void> {
    if (forward.protocol === 'udp') return this.options.qemu.remove(forward);
    const entry = this.relays.get(forward.hostPort);
    if (!entry) return;
    this.relays.delete(forward.hostPort);
    entry.relay.dispose();
    await this.options.qemu.remove({ protocol: 'tcp', hostPort: entry.internalPort });
  }

  /** The internal port behind a published TCP port (for tests and diagnostics), or null. */
  internalPortOf(hostPort: number): number | null {
    return this.relays.get(hostPort)?.internalPort ?? null;
  }

  /** Upstream connects made again because QEMU's queue was full, over every relay open now. */
  get retries(): number {
    return [...this.relays.values()].reduce((sum, { relay }) => sum + relay.retries, 0);
  }

  private async addInternalForward(guestPort: number): Promise<number> {
    let lastError: unknown;
    for (let attempt = 0; attempt < INTERNAL_PORT_TRIES; attempt++) {
      const internalPort = await this.options.freePort();
      try {
        await this.options.qemu.add({ protocol: 'tcp', hostPort: internalPort, guestPort });
        return internalPort;
      } catch (error) {
        if (!(error instanceof HostForwardError)) throw error;
        lastError = error;
      }
    }
    throw lastError;
  }

  /**
   * Closes every relay (their listeners are this process's). QEMU's internal forwards are left: this
   * runs when the VM stops or exits, and QEMU takes them with it.
   */
  dispose(): void {
    for (const { relay } of this.relays.values()) relay.dispose();
    this.relays.clear();
  }
}
