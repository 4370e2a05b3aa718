/**
 * Engine domain types. The renderer imports these as types only (through the contract); they carry
 * no behaviour so they can cross any transport as JSON.
 */
export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface PublishedPort {
  /** The port on the host (or the VM's forwarded host port); null when only exposed, not published. */
  hostPort: number | null;
  hostIp: string | null;
  containerPort: number;
  protocol: 'tcp' | 'udp' | 'sctp';
}

export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  imageId: string;
  command: string;
  state: ContainerState;
  /** The engine's human text, e.g. "Up 3 minutes" or "Exited (0) 2 hours ago". */
  status: string;
  ports: PublishedPort[];
  /** Seconds since the epoch. */
  created: number;
  /** The compose project and service it belongs to (its com.docker.compose.* labels), or null. */
  composeProject: string | null;
  composeService: string | null;
}

export interface ImageSummary {
  id: string;
  /** "repo:tag" references; empty for a dangling image. */
  repoTags: string[];
  size: number;
  /** Seconds since the epoch. */
  created: number;
  /** Number of containers using the image, or -1 when the engine did not count. */
  containers: number;
  /** "os/architecture[/variant]" from the image's configuration ("linux/arm64"); null if unknown. */
  platform: string | null;
}

export interface VolumeSummary {
  name: string;
  driver: string;
  mountpoint: string;
  /** ISO 8601 time, or null when the driver does not report it. */
  createdAt: string | null;
  labels: Record<string, string>;
}

export interface EngineInfo {
  version: string;
  apiVersion: string;
  os: string;
  arch: string;
  kernelVersion: string;
}

export type EngineObjectType = 'container' | 'image' | 'volume' | 'network';

export interface EngineEvent {
  type: EngineObjectType;
  /** The engine's action: "start", "die", "destroy", "create", "exec_start: sh", ... */
  action: string;
  /** Container/image id, or volume/network name. */
  id: string;
  name: string | null;
  /** Nanoseconds since the epoch, as the engine reports them. */
  timeNano: number;
  /** A container's `die`: its main process's exit status (notifications tell an expected exit from a crash). */
  exitCode?: number;
}
