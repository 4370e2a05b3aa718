/**
 * Domain types of the image features (pull, push, build, run, detail, logins). Plain data that crosses
 * any transport as JSON; the renderer imports them as types through the contract.
 */

/** One layer of a pull or push, as the engine's progress stream reports it. */
export interface LayerProgress {
  /** The layer's short id, as the engine names it. */
  id: string;
  /** The engine's words: "Waiting", "Downloading", "Extracting", "Pull complete", "Pushed", ... */
  status: string;
  /** Bytes done and total in the current phase, when the engine says. */
  current: number | null;
  total: number | null;
  /** 0..1 over the whole layer (for a pull: download then extraction). */
  fraction: number;
  done: boolean;
}

export interface TransferProgress {
  reference: string;
  layers: LayerProgress[];
  overall: {
    /** 0..1, the mean of the layers' fractions; never goes back. */
    fraction: number;
    /** Bytes moved so far and the sum of the sizes known so far (download or upload). */
    current: number;
    total: number;
  };
  /** The last message not about one layer ("Digest: …", "Status: Downloaded newer image for …"). */
  message: string | null;
  done: boolean;
}

export interface ImageHistoryEntry {
  /** The layer's image id, or null for layers built elsewhere ("<missing>"). */
  id: string | null;
  /** Seconds since the epoch. */
  created: number;
  /** The instruction that made this layer, e.g. "/bin/sh -c #(nop) COPY file:… in /app". */
  createdBy: string;
  size: number;
  tags: string[];
  comment: string;
}

export interface ImageUser {
  id: string;
  name: string;
  state: string;
}

export interface ImageDetail {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  /** ISO 8601. */
  created: string;
  size: number;
  architecture: string;
  os: string;
  /** The engine's whole inspect answer, for the JSON view. */
  inspect: Record<string, unknown>;
  /** Newest layer first, as `docker history` lists them. */
  history: ImageHistoryEntry[];
  /** Containers created from exactly this image. */
  containers: ImageUser[];
}

/** A saved registry login, without its secret. */
export interface RegistryLogin {
  registry: string;
  username: string;
}

export type RestartPolicyName = 'no' | 'always' | 'unless-stopped' | 'on-failure';

export interface RunPort {
  /** Null: the engine picks a free host port. */
  hostPort: number | null;
  containerPort: number;
  protocol: 'tcp' | 'udp' | 'sctp';
}

export interface RunVolume {
  /** A volume name, or an absolute host path for a bind mount. */
  source: string;
  /** Absolute path in the container. */
  target: string;
  readOnly: boolean;
}

/** What `docker run` takes, as the Run dialog collects it. */
export interface RunRequest {
  image: string;
  name?: string | undefined;
  /** A command line, split like a shell would (quotes, backslashes); the image's CMD when absent. */
  command?: string | undefined;
  /** KEY=value lines. */
  env: string[];
  ports: RunPort[];
  volumes: RunVolume[];
  restart: RestartPolicyName;
  autoRemove: boolean;
  /** -it: a TTY and an open stdin, for a terminal attached to the main process. */
  interactive: boolean;
  /** "os/arch[/variant]" (`--platform`): the image for that platform, run under emulation if need be. */
  platform?: string | undefined;
}

export type RunProgress =
  | { kind: 'pulling'; progress: TransferProgress }
  | { kind: 'created'; containerId: string; name: string }
  | { kind: 'started'; containerId: string; name: string };

export interface BuildRequest {
  /** The context folder on the machine Berth runs on. */
  contextPath: string;
  /** Relative to the context (or absolute, inside it); "Dockerfile" by default. */
  dockerfile?: string | undefined;
  tag?: string | undefined;
  noCache?: boolean | undefined;
}

export type BuildProgress = { kind: 'log'; text: string } | { kind: 'done'; imageId: string; tags: string[] };
