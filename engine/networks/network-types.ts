/**
 * Network domain types. Plain data (no behaviour) so they cross any transport as JSON; the contract
 * declares its schemas against them.
 */

/** A container attached to a network, running or not. */
export interface NetworkContainer {
  id: string;
  name: string;
  /** The container's state as the engine reports it ("running", "exited", ...). */
  state: string;
  /** Its address on this network while it runs (CIDR form), else null. */
  address: string | null;
}

export interface NetworkSummary {
  id: string;
  name: string;
  driver: string;
  /** "local", "swarm" or "global". */
  scope: string;
  /** IPAM subnets in CIDR form; empty for host and none. */
  subnets: string[];
  internal: boolean;
  /** bridge, host and none: the engine's own networks, which cannot be removed. */
  builtIn: boolean;
  /** ISO 8601 time, or null when the engine does not say. */
  createdAt: string | null;
  containers: NetworkContainer[];
}

export interface CreateNetworkRequest {
  name: string;
  /** An IPv4 subnet in CIDR form; without it the engine picks one from its pools. */
  subnet?: string;
}
