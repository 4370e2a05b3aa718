/** Who holds a port, as data: shared by the engine's finder and the contract (pure: the renderer bundles it). */
export type HostPortProcess =
  | { kind: 'process'; pid: number; program: string }
  /** Something listens, but its process is not visible to Berth; `reason` says why. */
  | { kind: 'unseen'; reason: string }
  | { kind: 'none' };

export type PortHolder =
  | { kind: 'container'; id: string; name: string }
  /** Berth itself: its own listener, or a VM forward it keeps for a container. */
  | { kind: 'berth'; description: string }
  | HostPortProcess;
