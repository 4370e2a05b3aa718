/**
 * The engine machine on Windows: a WSL 2 distribution made from the VM image's rootfs.tar, as Docker
 * Desktop, Podman and Rancher Desktop do. A start checks that WSL 2 is there, imports the distribution
 * on the first start, hands it the per-start configuration (TLS material, the engine port) on stdin,
 * runs Berth's init in it as root, follows the init's BERTH-* markers through the same VmState machine
 * as QEMU's boot, waits for `_ping` over mutual TLS on 127.0.0.1 (WSL forwards localhost), opens
 * `\\.\pipe\berth-engine` for npipe:// tools and points the `berth` docker context at it. Published
 * ports need no forwarding: WSL forwards the ports the distribution listens on to Windows' localhost.
 *
 * Everything Windows is behind the injected WslRunner, so the state machine is tested here with a fake;
 * it has not yet run on Windows (vm/README.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Emitter, toDisposable, type Disposable } from '../../base/index.js';
import type { EngineEndpoint, TlsMaterial } from '../../engine/core/index.js';
import { dockerHostUrl, type EngineMachine } from '../engine-machine.js';
import type { CliPluginsReport } from '../host/cli-plugins.js';
import { ensureDockerContext, type DockerContextOptions, type DockerContextResult } from '../host/docker-context.js';
import type { EngineTlsTarget } from '../host/host-socket.js';
import { ensureTlsMaterial } from '../host/tls-material.js';
import { InstanceLock, InstanceLockedError } from '../lifecycle/instance-lock.js';
import { consoleMarker, nextVmState, WSL_START_STEPS, type VmInput, type VmState } from '../lifecycle/vm-state.js';
import type { PortProblems } from '../ports/port-forwarder.js';
import { waitForEnginePing, type EnginePingTarget } from '../qemu/engine-ping.js';
import { freeLoopbackPort } from '../qemu/host-facts.js';
import { vmSettingsView, type VmSettingsView } from '../settings/settings-store.js';
import {
  fileSettingsSource,
  hostCapacity,
  validateVmSettings,
  type VmSettings,
  type VmSettingsSource,
} from '../settings/vm-settings.js';
import { VmError } from '../vm-error.js';
import { configTar } from './config-tar.js';
import { ENGINE_PIPE_PATH, listenEngineRelay, type EngineRelayOptions } from './named-pipe-relay.js';
import { sharedDriveRoots } from './windows-paths.js';
import { DEFAULT_DISTRO_NAME, wslAvailability, wslCommands, wslUnavailableError } from './wsl-commands.js';
import { prepareDistro, unregisterDistro, type WslDistroPlace } from './wsl-distro.js';
import type { WslProcess, WslRunner } from './wsl-runner.js';

const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;
const CONSOLE_TAIL_LINES = 40;
const NO_PROBLEMS: PortProblems = new Map();

export interface WslMachineOptions {
  /** Berth's per-user state: TLS material, settings, the init's output (console.log), the distribution's disk (distro/). */
  stateDir: string;
  /** Where build-image.sh put rootfs.tar. */
  imageDir: string;
  runner: WslRunner;
  distro?: string;
  /** ENGINE_PIPE_PATH by default; a unix socket path in tests. */
  pipePath?: string;
  /** The `berth` docker context: options, or false to leave contexts alone. */
  dockerContext?: DockerContextOptions | false;
  settings?: Partial<VmSettings>;
  /** Where the settings are stored: the app's settings file; by default settings.json in stateDir. */
  settingsSource?: VmSettingsSource;
  /** Seams for tests; the real ones by default. */
  enginePort?: () => Promise<number>;
  pingEngine?: (target: EnginePingTarget) => Promise<void>;
  listenRelay?: (options: EngineRelayOptions) => Promise<Disposable>;
  driveExists?: (root: string) => boolean;
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
}

export class WslMachine implements EngineMachine {
  private current: VmState = { kind: 'stopped' };
  private readonly stateEmitter = new Emitter<VmState>();
  private readonly commands: ReturnType<typeof wslCommands>;
  private readonly distro: string;
  private readonly place: WslDistroPlace;
  private readonly pipePath: string;
  private init: WslProcess | null = null;
  private relay: Disposable | null = null;
  private target: EngineTlsTarget | null = null;
  private context: DockerContextResult | null = null;
  private lock: InstanceLock | null = null;
  private imageNotice: string | null = null;
  readonly onStateChange = this.stateEmitter.event;

  private readonly settingsSource: VmSettingsSource;

  constructor(private readonly options: WslMachineOptions) {
    this.settingsSource = options.settingsSource ?? fileSettingsSource(options.stateDir);
    this.distro = options.distro ?? DEFAULT_DISTRO_NAME;
    this.pipePath = options.pipePath ?? ENGINE_PIPE_PATH;
    this.commands = wslCommands(this.distro);
    this.place = { runner: options.runner, distro: this.distro, stateDir: options.stateDir, imageDir: options.imageDir };
  }

  get state(): VmState {
    return this.current;
  }

  get tlsDir(): string {
    return path.join(this.options.stateDir, 'tls');
  }

  /** The init's output (its markers, dockerd's failures), kept after the machine stops. */
  get consoleLogPath(): string {
    return path.join(this.options.stateDir, 'console.log');
  }

  get notice(): string | null {
    return this.imageNotice;
  }

  get hostSocketPath(): string | null {
    return this.relay ? this.pipePath : null;
  }

  get dockerContext(): DockerContextResult | null {
    return this.context;
  }

  /** None: Berth's compose and buildx are Linux builds; a Windows package would need Windows ones. */
  get cliPlugins(): CliPluginsReport | null {
    return null;
  }

  onCliPluginsChange(): Disposable {
    return toDisposable(() => undefined);
  }

  /** Every drive: WSL mounts each at /mnt/<letter> (windows-paths.ts maps a bind mount's path). */
  get sharedFolders(): string[] {
    return sharedDriveRoots(this.options.driveExists ?? ((root) => process.platform === 'win32' && fs.existsSync(root)));
  }

  onPortProblemsChange(): Disposable {
    return toDisposable(() => undefined); // WSL forwards published ports itself: nothing to report
  }

  portProblems(): PortProblems {
    return NO_PROBLEMS;
  }

  endpoint(): EngineEndpoint {
    if (this.current.kind !== 'running' || !this.target)
      throw new VmError(`The WSL engine is ${this.current.kind}, not running.`);
    return { kind: 'tcp', host: this.target.host, port: this.target.port, tls: this.target.tls };
  }

  consoleTail(lines = CONSOLE_TAIL_LINES): string[] {
    try {
      return fs.readFileSync(this.consoleLogPath, 'utf8').trimEnd().split('\n').slice(-lines);
    } catch {
      return [];
    }
  }

  async start(): Promise<void> {
    this.transition({ type: 'start' });
    const startedAt = performance.now();
    let init: WslProcess | null = null;
    try {
      this.takeLock();
      fs.writeFileSync(this.consoleLogPath, '');
      await this.requireWsl2();
      await ensureTlsMaterial(this.tlsDir);
      this.imageNotice = await prepareDistro(this.place, () => this.transition({ type: 'step', step: 'importing' }));
      const port = await (this.options.enginePort ?? freeLoopbackPort)();
      const tls = this.readClientTls();
      await this.writeConfig(port);
      this.transition({ type: 'step', step: 'booting-kernel' });
      const spawned = this.options.runner.spawn(this.commands.init);
      init = spawned;
      this.init = spawned;
      spawned.onLine((line) => fs.appendFileSync(this.consoleLogPath, `${line}\n`));
      void spawned.exitStatus.then((status) => this.onInitExit(spawned, status));
      await this.followInit(spawned);
      this.transition({ type: 'step', step: 'connecting' });
      const target = { host: '127.0.0.1', port, tls };
      await (this.options.pingEngine ?? waitForEnginePing)({ port, tls, alive: () => spawned.running });
      this.target = target;
      this.relay = await (this.options.listenRelay ?? listenEngineRelay)({ path: this.pipePath, target: () => this.target });
      const contextOptions = this.options.dockerContext;
      this.context = contextOptions === false ? null : await ensureDockerContext(dockerHostUrl(this.pipePath), contextOptions);
      this.transition({ type: 'ready', bootMs: Math.round(performance.now() - startedAt) });
    } catch (error) {
      if (this.current.kind === 'starting') {
        this.transition({
          type: 'failed',
          message: (error as Error).message.split('\n')[0] ?? 'failed',
          consoleTail: this.consoleTail(),
        });
      }
      this.detach();
      // Even when init has exited by itself, what it started may still run in the distribution.
      if (init) await this.abandon(init);
      throw error;
    }
  }

  /** Asks init to stop dockerd and exit; terminates the distribution after it (or after the timeout). */
  async stop(): Promise<void> {
    const init = this.init;
    if (!init || this.current.kind === 'stopped' || this.current.kind === 'error') {
      if (this.current.kind === 'stopped' || this.current.kind === 'error') this.releaseLock();
      return;
    }
    this.detach();
    this.transition({ type: 'stop' });
    await this.options.runner.run(this.commands.requestStop, { timeoutMs: 15_000 });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), this.options.stopTimeoutMs ?? STOP_TIMEOUT_MS)),
    );
    const outcome = await Promise.race([init.exitStatus, timedOut]);
    clearTimeout(timer);
    // What is left (an engine that did not stop in time, the distribution's idle processes) goes at once.
    await this.options.runner.run(this.commands.terminate);
    if (outcome === 'timeout') init.kill();
    await init.exitStatus;
    this.releaseLock();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /**
   * Deletes the distribution and its disk (images, containers, volumes); settings and TLS material stay.
   * The next start imports a fresh one from rootfs.tar.
   */
  async factoryReset(): Promise<void> {
    await this.stop();
    await unregisterDistro(this.place);
    this.imageNotice = null;
  }

  settings(): VmSettingsView {
    const view = vmSettingsView(this.settingsSource, this.options.settings);
    return { ...view, settings: { ...view.settings, sharedFolders: this.sharedFolders } };
  }

  /**
   * Only "start on launch" is Berth's to set under WSL 2: CPUs and memory are WSL's, for every
   * distribution, in %UserProfile%\.wslconfig; every drive is shared; the disk grows as it fills.
   */
  async updateSettings(next: VmSettings): Promise<{ settings: VmSettings; needsRestart: boolean }> {
    const current = this.settings().settings;
    const sameFolders = [...next.sharedFolders].sort().join('\n') === [...current.sharedFolders].sort().join('\n');
    if (next.cpus !== current.cpus || next.memoryMiB !== current.memoryMiB || next.diskGiB !== current.diskGiB || !sameFolders) {
      throw new VmError(
        'Under WSL 2, CPUs and memory are set for all distributions in %UserProfile%\\.wslconfig (then "wsl --shutdown"), every drive is shared at /mnt/<drive>, and the disk grows as it fills; Berth changes only "start on launch" here.',
      );
    }
    const stored = this.settingsSource.load();
    // restAfterMinutes is kept for the QEMU VM; WSL 2 manages its own VM's idle time.
    const wanted = { ...stored, startOnLaunch: next.startOnLaunch, restAfterMinutes: next.restAfterMinutes };
    const saved = validateVmSettings(wanted, hostCapacity());
    this.settingsSource.save(saved);
    return {
      settings: { ...current, startOnLaunch: saved.startOnLaunch, restAfterMinutes: saved.restAfterMinutes },
      needsRestart: false,
    };
  }

  dispose(): void {
    this.detach();
    const init = this.init;
    if (init) {
      init.kill();
      // Killing wsl.exe leaves the Linux side running: end the distribution too (not awaited: dispose is sync).
      void this.options.runner.run(this.commands.terminate);
    }
    this.releaseLock();
  }

  private async requireWsl2(): Promise<void> {
    const availability = wslAvailability(await this.options.runner.run(this.commands.status, { timeoutMs: 30_000 }));
    if (availability.kind !== 'wsl2') throw wslUnavailableError(availability);
  }

  /** The server's TLS files and the engine port, as the tar init.sh reads from /var/lib/berth/config. */
  private async writeConfig(port: number): Promise<void> {
    const read = (name: string) => fs.readFileSync(path.join(this.tlsDir, name));
    const input = configTar({
      'ca.pem': read('ca.pem'),
      'server-cert.pem': read('server-cert.pem'),
      'server-key.pem': read('server-key.pem'),
      'engine-port': `${port}\n`,
    });
    const result = await this.options.runner.run(this.commands.writeConfig, { input, timeoutMs: 60_000 });
    if (result.code !== 0) {
      const reason = `${result.stderr}\n${result.stdout}`.trim().split('\n')[0] || `exit code ${result.code}`;
      throw new VmError(`Berth could not write the engine's configuration into WSL's ${this.distro}: ${reason}`);
    }
  }

  private readClientTls(): TlsMaterial {
    const read = (name: string) => fs.readFileSync(path.join(this.tlsDir, name), 'utf8');
    return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
  }

  /** The init's markers as start steps, until BERTH-READY; a BERTH-ERROR, its exit or the timeout fails the start. */
  private followInit(init: WslProcess): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timeoutMs = this.options.readyTimeoutMs ?? READY_TIMEOUT_MS;
      const settle = (error?: Error) => {
        clearTimeout(timer);
        subscription.dispose();
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(
        () => settle(new VmError(`The engine in WSL did not become ready within ${timeoutMs / 1000} s.`)),
        timeoutMs,
      );
      const subscription = init.onLine((line) => {
        const marker = consoleMarker(line);
        if (!marker) return;
        if ('ready' in marker) settle();
        else if ('error' in marker) settle(new VmError(`The engine's init in WSL reported: ${marker.error}`));
        else this.transition({ type: 'step', step: marker.step });
      });
      void init.exitStatus.then((status) => settle(new VmError(`Berth's init in WSL exited during the start (${status}).`)));
    });
  }

  private onInitExit(init: WslProcess, exitStatus: string): void {
    if (this.init !== init) return;
    this.init = null;
    this.detach();
    if (this.current.kind === 'stopped') return;
    this.transition({ type: 'exited', exitStatus: `wsl.exe ${exitStatus}`, consoleTail: this.consoleTail() });
  }

  /** A start given up: wsl.exe ended and the distribution terminated, so no engine is left behind. */
  private async abandon(init: WslProcess): Promise<void> {
    if (this.init === init) this.init = null;
    init.kill();
    await this.options.runner.run(this.commands.terminate);
  }

  private detach(): void {
    this.target = null;
    this.relay?.dispose();
    this.relay = null;
  }

  private takeLock(): void {
    if (this.lock) return;
    fs.mkdirSync(this.options.stateDir, { recursive: true, mode: 0o700 });
    try {
      this.lock = InstanceLock.acquire(path.join(this.options.stateDir, 'vm.lock'));
    } catch (error) {
      if (!(error instanceof InstanceLockedError)) throw error;
      throw new VmError(`Another Berth (pid ${error.holder.pid}) is already running the WSL engine.`);
    }
  }

  private releaseLock(): void {
    this.lock?.release();
    this.lock = null;
  }

  private transition(input: VmInput): void {
    const next = nextVmState(this.current, input, WSL_START_STEPS);
    if (next === this.current) return;
    this.current = next;
    this.stateEmitter.fire(next);
  }
}
