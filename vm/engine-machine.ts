/**
 * What the app needs of the machine that runs its engine, whatever runs it: QEMU on Linux (VmService),
 * WSL2 on Windows (vm/wsl's WslMachine), later macOS's. One state machine (lifecycle/vm-state.ts) for
 * all of them, so the UI shows the same progress and failure details; each provider names its own
 * start steps. Types and pure helpers: nothing here starts anything.
 */
import type { Disposable } from '../base/index.js';
import { parseEngineAddress, type EngineEndpoint } from '../engine/core/index.js';
import type { CliPluginsReport } from './host/cli-plugins.js';
import type { DockerContextResult } from './host/docker-context.js';
import { isNamedPipePath } from './host/host-socket.js';
import type { VmState } from './lifecycle/vm-state.js';
import type { PortProblems } from './ports/port-forwarder.js';
import type { SnapshotOutcome } from './snapshot/snapshot-boot.js';
import type { VmSettingsView } from './settings/settings-store.js';
import type { VmSettings } from './settings/vm-settings.js';

export interface EngineMachine extends Disposable {
  readonly state: VmState;
  onStateChange(listener: (state: VmState) => void): Disposable;
  /** Fires with portProblems() whenever it changes; a provider whose ports need no forwarding never fires. */
  onPortProblemsChange(listener: (problems: PortProblems) => void): Disposable;
  /** Shown while it applies (no hardware acceleration, for example); null when there is nothing to say. */
  readonly notice: string | null;
  /**
   * Where this computer's own tools reach the engine while it runs: a unix socket path (QEMU) or a
   * named pipe path, `\\.\pipe\…` (WSL2 on Windows); null otherwise. See dockerHostUrl.
   */
  readonly hostSocketPath: string | null;
  /** What the last start did to the `berth` docker context (or why it did not). */
  readonly dockerContext: DockerContextResult | null;
  /**
   * What the last start did about docker compose and buildx for this computer's docker CLI; null when
   * the provider installs none (Berth's plugins are Linux builds).
   */
  readonly cliPlugins: CliPluginsReport | null;
  onCliPluginsChange(listener: (report: CliPluginsReport) => void): Disposable;
  /** What the last start did with the boot snapshot (vm/snapshot/); absent where starts have none (WSL2). */
  readonly bootSnapshot?: SnapshotOutcome | null;
  /** Host folders a bind mount can name, as the user writes them on this computer. */
  readonly sharedFolders: string[];
  /** Per container id, why some of its published ports cannot be reached from this computer. */
  portProblems(): PortProblems;
  /** Which of Berth's forwards holds TCP `port` on this computer ("forward of container web's port 80"); absent when ports are not forwarded by Berth. */
  forwardHolding?(port: number): string | null;
  /**
   * Resolves once a container that just started has its published ports forwarded to this computer
   * (or they were found unforwardable), so "running" in the UI means the port answers; never rejects.
   * Absent when ports are not forwarded by Berth.
   */
  forwardsReady?(containerId: string): Promise<void>;
  /**
   * The app's heartbeat to this engine when it must not go through the doors (a resting VM counts every
   * byte there as use); absent: the engine connection pings as usual.
   */
  heartbeatPing?(signal: AbortSignal): Promise<void>;
  /** The engine's mutual-TLS endpoint on 127.0.0.1 while running; a VmError otherwise. */
  endpoint(): EngineEndpoint;
  /** The last lines the machine printed (console, or init's output under WSL). */
  consoleTail(lines?: number): string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Deletes the engine's data (images, containers, volumes) and nothing else; the next start begins afresh. */
  factoryReset(): Promise<void>;
  settings(): VmSettingsView;
  /**
   * What to tell a person whose engine found its disk full: the disk, its size, what to do. Absent
   * where the engine's disk is not Berth's to size (the engine's own words then stand).
   */
  diskFullMessage?(): string;
  updateSettings(next: VmSettings): Promise<{ settings: VmSettings; needsRestart: boolean }>;
}

/** `unix:///…/docker.sock`, or `npipe:////./pipe/NAME` for a Windows named pipe (`\\.\pipe\NAME`). */
export function dockerHostUrl(socketPath: string): string {
  return isNamedPipePath(socketPath) ? `npipe:////./pipe/${socketPath.slice(9)}` : `unix://${socketPath}`;
}

/** The endpoint for this computer's own socket or pipe (what the app's engine connection uses). */
export function localSocketEndpoint(socketPath: string): EngineEndpoint {
  // Through the DOCKER_HOST parser: the same pipe spelling (//./pipe/NAME) as a user's npipe:// address.
  return parseEngineAddress(dockerHostUrl(socketPath));
}
