/**
 * Where the engine runs in Berth's VM, a container's published ports reach this computer through
 * forwards Berth adds once the container has started. A run or start waits for them before it says the
 * container runs, so the first fetch of its port finds it (vm/ports' PortForwarder.forwardsReady).
 */
export type ForwardsReady = (containerId: string) => Promise<void>;

/** Waits for the forwards when there is someone to ask; a failure there never fails the start. */
export async function awaitForwards(forwardsReady: ForwardsReady | undefined, containerId: string): Promise<void> {
  await forwardsReady?.(containerId).catch(() => undefined);
}
