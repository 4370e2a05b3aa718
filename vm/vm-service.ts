/**
 * The engine VM, owned: prepares what a boot needs (image, per-installation TLS material, the data
 * disk), boots it under QEMU, follows the guest's progress markers, hands out the engine endpoint
 * (mutual TLS on 127.0.0.1), powers it off gracefully, and notices at once when QEMU dies. Every
 * change goes through the VmState machine; nothing here knows of Electron or the UI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Emitter, type Disposable } from '../base/index.js';
import type { EngineEndpoint, TlsMaterial } from '../engine/core/index.js';
import type { CliPluginsReport } from './host/cli-plugins.js';
import type { DockerContextOptions, DockerContextResult } from './host/docker-context.js';
import type { EngineMachine } from './engine-machine.js';
import { ensureTlsMaterial } from './host/tls-material.js';
import { ensurePrivateFolder, UnsafeFolderError } from './host/private-folder.js';
import { VmHostServices } from './host/vm-host-services.js';
import { InstanceLock, InstanceLockedError } from './lifecycle/instance-lock.js';
import {
  nextVmState,
  QEMU_RESTORE_STEPS,
  QEMU_START_STEPS,
  type VmInput,
  type VmStartStep,
  type VmState,
} from './lifecycle/vm-state.js';
import { folderWarnings } from './folders/shared-folders.js';
import type { VirtiofsDaemons } from './folders/virtiofsd.js';
import { hostPlatform, type HostIdentity } from './platform/host-platform.js';
import { accelerationNotice, chooseAccelerator, qemuExitedError, type AcceleratorChoice } from './qemu/accelerator.js';
import { waitForEnginePing } from './qemu/engine-ping.js';
import { EARLY_BOOT_FAILURE, EarlyBootFailedError, earlyBootStallMs, followBootConsole } from './qemu/boot-console.js';
import { EngineVm, QemuExitedError } from './qemu/engine-vm.js';
import type { GuestArch } from './qemu/machine-profile.js';
import { qemuProfile } from './qemu/qemu-profile.js';
import type { QemuInstallation as PreparedQemu } from './qemu/qemu-binary.js';
import { NETWORK_ID, type EngineVmConfig } from './qemu/qemu-args.js';
import { freeLoopbackPort, hostTscKhz } from './qemu/host-facts.js';
import type { PortProblems } from './ports/port-forwarder.js';
import type { PortForward } from './ports/port-plan.js';
import { RestSession } from './rest/index.js';
import { SnapshotBoot, type SnapshotOutcome, type SnapshotPlan } from './snapshot/snapshot-boot.js';
import { vmDiskFullMessage } from './settings/disk-full.js';
import { prepareBoot } from './settings/prepare-boot.js';
import { updateVmSettings, vmSettingsView, type VmSettingsView } from './settings/settings-store.js';
import { fileSettingsSource, type VmSettings, type VmSettingsSource } from './settings/vm-settings.js';
import { VmError } from './vm-error.js';

export { VmError } from './vm-error.js';
export type { VmSettings } from './settings/vm-settings.js';

const POWEROFF_TIMEOUT_MS = 30_000;
/**
 * Under TCG, QEMU computes the guest's PCLMULQDQ (AES-GCM's GHASH) one bit at a time: a quarter of
 * QEMU's samples in a 100 MB `docker cp` (perf). dockerd's Go TLS follows the client's first choice.
 */
const EMULATED_GUEST_CIPHERS = 'TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:ECDHE-ECDSA-CHACHA20-POLY1305';
const CONSOLE_TAIL_LINES = 40;

export interface VmServiceOptions {
  /** Berth's per-user state for the VM: data disk, TLS material, console log, QMP socket. */
  stateDir: string;
  /** Where build-image.sh put the kernel, initramfs.img and rootfs.img (vm/.build/image/ARCH). */
  imageDir: string;
  /**
   * The guest's CPU architecture; by default the host CPU's (x64 -> amd64, arm64 -> arm64). Set to
   * the other one only to test that guest under emulation (TCG), as the arm64 tests do on x86-64.
   */
  guestArch?: GuestArch;
  /** Wins over the stored settings.json (tests, command-line flags); updates are still stored. */
  settings?: Partial<VmSettings>;
  /** Where the settings are stored: the app's settings file; by default settings.json in stateDir. */
  settingsSource?: VmSettingsSource;
  /** The `berth` docker CLI context: options (DOCKER_CONFIG via env), or false to leave contexts alone. */
  dockerContext?: DockerContextOptions | false;
  /** Berth's compose and buildx for the user's CLI plugin folder (DOCKER_CONFIG: dockerContext's env); off when absent. */
  cliPlugins?: { sourceDir: string; systemDirs?: string[] } | false;
  /** Appended to the guest kernel's command line, to read a guest problem (vm/README.md). */
  kernelArgs?: string[];
  /** How long a boot may take to reach the root's configuration step before it counts as stalled. */
  earlyBootStallMs?: number;
  /**
   * The host to provide for (process.platform and process.arch by default). `{ os: 'darwin', arch: 'x64' }`
   * boots the macOS profile here (9p shared folders, no virtiofsd, HVF unless accelerator says tcg).
   */
  host?: HostIdentity;
  /** TCG whatever the host offers: with `host` darwin, the macOS profile's VM tests on a machine without HVF. */
  accelerator?: 'tcg';
  /** A QEMU shipped with the app (`<resources>/qemu/bin`), tried after PATH and, on macOS, Homebrew. */
  bundledQemuDir?: string;
  /** A QEMU folder tried before PATH (the snapshot tests and benchmark: tools/newer-qemu.sh's QEMU 10). */
  qemuDir?: string;
  /** Idle time before the VM rests, in ms (tests); wins over the restAfterMinutes setting. 0: never. */
  restAfterMs?: number;
  /**
   * Boot snapshots (vm/snapshot/): a cold boot saves the VM where its engine waits for its configuration
   * and later starts restore it, where this host's QEMU can (8.2 or newer). On by default.
   */
  bootSnapshots?: boolean;
}

export class VmService implements EngineMachine {
  private current: VmState = { kind: 'stopped' };
  /** The start sequence the state machine follows: a restore's, or a cold boot's. */
  private steps = QEMU_START_STEPS;
  private readonly snapshots: SnapshotBoot;
  private qemuInstallation: PreparedQemu | null = null;
  private readonly stateEmitter = new Emitter<VmState>();
  private vm: EngineVm | null = null;
  /** QEMU's own forward of the engine's TLS port; `port` is the door in front of it (rest/engine-door.ts). */
  private guestPort = 0;
  /** Resting for the running boot (rest/): the door, the controller, the guest's agent. */
  private restSession: RestSession | null = null;
  private restIdleMs = 0;
  private lastWake: number | null = null;
  /** The VM whose boot console is being followed: its exit is that boot's business (bootUntilReady). */
  private followingBoot: EngineVm | null = null;
  private port = 0;
  private accelerator: AcceleratorChoice | null = null;
  /** The QEMU programs found for this host at the last prepare (PATH's until then). */
  private qemuPrograms = { system: 'qemu-system-x86_64', img: 'qemu-img' };
  /** The settings, folders and virtiofsd of the current boot (shared folders: see sharedFolders). */
  private boot: { settings: VmSettings; sharedFolders: string[]; unmounted: string[] } | null = null;
  private folderDaemons: VirtiofsDaemons | null = null;
  private foldersStopped: Promise<void> = Promise.resolve();
  /** The exit of a QEMU this service killed after a failed start; the next boot waits for it (the disk's lock). */
  private qemuGone: Promise<unknown> = Promise.resolve();
  /** Port forwards, host socket, docker context: attached to each boot, detached when it ends. */
  private readonly host: VmHostServices;
  private lock: InstanceLock | null = null;
  readonly onStateChange = this.stateEmitter.event;
  /** Fires with portProblems() whenever it changes (emptied when the VM stops). */
  readonly onPortProblemsChange: (listener: (problems: PortProblems) => void) => Disposable;
  /** Fires with portForwards() whenever a forward is added or removed. */
  readonly onPortForwardsChange: (listener: (forwards: readonly PortForward[]) => void) => Disposable;
  /** Fires with cliPlugins after each boot's look at the docker CLI plugins. */
  readonly onCliPluginsChange: (listener: (report: CliPluginsReport) => void) => Disposable;

  private readonly settingsSource: VmSettingsSource;

  constructor(private readonly options: VmServiceOptions) {
    this.settingsSource = options.settingsSource ?? fileSettingsSource(options.stateDir);
    this.snapshots = new SnapshotBoot(options.stateDir, options.imageDir, options.bootSnapshots ?? true);
    this.host = new VmHostServices({
      stateDir: options.stateDir,
      dockerContext: options.dockerContext,
      cliPlugins: options.cliPlugins,
    });
    this.onPortProblemsChange = this.host.onPortProblemsChange;
    this.onPortForwardsChange = this.host.onPortForwardsChange;
    this.onCliPluginsChange = this.host.onCliPluginsChange;
  }

  /** The guest architecture this service boots. */
  get guestArch(): GuestArch {
    // hostPlatform's VmError names the hosts Berth's VM runs on.
    return this.options.guestArch ?? hostPlatform(this.options.host).guestArch;
  }

  get state(): VmState {
    return this.current;
  }

  get tlsDir(): string {
    return path.join(this.options.stateDir, 'tls');
  }

  get diskPath(): string {
    return path.join(this.options.stateDir, 'data.qcow2');
  }

  /** QEMU's serial console: the kernel's and the guest init's messages, kept after the VM stops. */
  get consoleLogPath(): string {
    return path.join(this.options.stateDir, 'console.log');
  }

  /** The notice to show when the VM runs without hardware acceleration (known after the first start). */
  get notice(): string | null {
    return this.accelerator ? accelerationNotice(this.accelerator) : null;
  }

  /** What the last start did with the boot snapshot (restored it, saved one, booted cold); null before a start. */
  get bootSnapshot(): SnapshotOutcome | null {
    return this.snapshots.lastOutcome;
  }

  /** Per container id, why some of its published ports cannot be reached from this computer. */
  portProblems(): PortProblems {
    return this.host.portProblems();
  }

  /** Which forward holds TCP `port` on this computer ("forward of container web's port 80"), or null. */
  forwardHolding(port: number): string | null {
    return this.host.forwardHolding(port);
  }

  /**
   * QEMU's own forward (backlog 1) behind Berth's listener on a published TCP port, or null: the
   * benchmark measures both.
   */
  qemuForwardPortOf(hostPort: number): number | null {
    return this.host.qemuForwardPortOf(hostPort);
  }

  /** Resolves once this container's published ports are forwarded to this computer (never rejects). */
  forwardsReady(containerId: string): Promise<void> {
    return this.host.forwardsReady(containerId);
  }

  /** Published ports forwarded now from this computer's 127.0.0.1 to the VM. */
  portForwards(): PortForward[] {
    return this.host.portForwards();
  }

  /** The unix socket (mode 0600) that reaches the engine, while the VM runs; null otherwise. */
  get hostSocketPath(): string | null {
    return this.host.listening ? this.host.socketPath : null;
  }

  /** `DOCKER_HOST=unix://…` for shells and tools, while the VM runs; null otherwise. */
  get dockerHostEnv(): string | null {
    const socketPath = this.hostSocketPath;
    return socketPath ? `DOCKER_HOST=unix://${socketPath}` : null;
  }

  /** What the last start did to the `berth` docker context (or the note saying why it did not). */
  get dockerContext(): DockerContextResult | null {
    return this.host.dockerContext;
  }

  /** What the last boot did with docker compose and buildx for the user's CLI; null before that (or when off). */
  get cliPlugins(): CliPluginsReport | null {
    return this.host.cliPlugins;
  }

  /**
   * Where the engine answers while the VM runs (or rests: a connection wakes it): 127.0.0.1, mutual TLS
   * with this installation's certificates.
   */
  endpoint(): EngineEndpoint {
    if (this.current.kind !== 'running' && this.current.kind !== 'resting') {
      throw new VmError(`The VM is ${this.current.kind}, not running.`);
    }
    return this.engineEndpoint();
  }

  /** How long the last wake from a rest took (QMP cont and the guest's clock set), in ms; null before one. */
  /** The app's heartbeat to the engine: not through a door, so it neither keeps the VM awake nor wakes it. */
  heartbeatPing(signal: AbortSignal): Promise<void> {
    if (!this.restSession) return Promise.reject(new VmError(`The VM is ${this.current.kind}, not running.`));
    return this.restSession.heartbeatPing(signal);
  }

  get lastWakeMs(): number | null {
    return this.lastWake;
  }

  /** Memory the balloon took from the guest, and the host got back, before the last rest. */
  get memoryGivenBackBytes(): number {
    return this.restSession?.memoryGivenBackBytes ?? 0;
  }

  /** port: the door (everyone) by default; QEMU's own forward for Berth's internal connections. */
  private engineEndpoint(port = this.port): Extract<EngineEndpoint, { kind: 'tcp' }> & { tls: TlsMaterial } {
    const read = (name: string) => fs.readFileSync(path.join(this.tlsDir, name), 'utf8');
    return {
      kind: 'tcp',
      host: '127.0.0.1',
      port,
      tls: {
        ca: read('ca.pem'),
        cert: read('cert.pem'),
        key: read('key.pem'),
        ...(this.accelerator?.accelerator === 'tcg' ? { ciphers: EMULATED_GUEST_CIPHERS } : {}),
      },
    };
  }

  async start(): Promise<void> {
    this.transition({ type: 'start' });
    this.snapshots.beginStart();
    try {
      this.takeLock();
      const vm = await this.bootUntilReady();
      this.transition({ type: 'step', step: 'connecting' });
      const endpoint = this.engineEndpoint(this.guestPort);
      await waitForEnginePing({ port: endpoint.port, tls: endpoint.tls, alive: () => vm.running });
      if (this.boot) this.boot.unmounted = folderWarnings(vm.serialLog()).map((warning) => warning.path);
      const rest = await this.openRestSession(vm, endpoint);
      this.restSession = rest;
      this.port = rest.port;
      // The host socket reaches QEMU's forward itself, through the same gate as the door.
      await this.host.attach(vm, endpoint, rest.gate);
      this.transition({ type: 'ready', bootMs: Math.round(performance.now() - vm.startedAt) });
    } catch (error) {
      if (this.current.kind === 'starting') {
        this.transition({
          type: 'failed',
          message: (error as Error).message.split('\n')[0] ?? 'failed',
          consoleTail: this.consoleTail(),
        });
        this.host.detach();
        this.closeRestSession();
        // Its exit belongs to this failed start, not to the next one (a Start clicked right away).
        if (this.vm) void this.abandon(this.vm);
        void this.stopFolderDaemons();
      }
      throw error;
    }
  }

  /**
   * Prepares and boots the VM until the guest's init says the engine is ready. A boot that stalls
   * before the guest opens the data disk is killed and started once more (its console is kept as
   * console-stalled.log); one whose kernel crashes before that, too (console-crashed.log). A second
   * stall or crash fails the start.
   */
  private async bootUntilReady(): Promise<EngineVm> {
    for (let attempt = 1; ; attempt += 1) {
      let config = await this.prepare();
      let plan = this.snapshots.plan(config, this.qemuInstallation!, this.folderDaemons?.migratable ?? true);
      if (plan.kind === 'restore') {
        const restored = await this.restoreSnapshot(config, plan);
        if (restored) return restored;
        // virtiofsd ends with the QEMU it served: a cold boot needs new ones (and takes a new port).
        await this.stopFolderDaemons();
        config = await this.prepare();
        plan = { kind: 'save', key: plan.key, discarded: null };
      }
      const vm = await EngineVm.start(this.snapshots.machine(config, plan), this.qemuPrograms.system).catch((error: unknown) => {
        if (error instanceof QemuExitedError) throw qemuExitedError('as it started', error.exitStatus, error.stderr);
        throw error;
      });
      this.vm = vm;
      void vm.exitStatus.then((exitStatus) => this.onQemuExit(vm, exitStatus));
      this.transition({ type: 'step', step: 'booting-kernel' });
      // Until BERTH-READY the console follower reports a QEMU exit itself (a crash early is booted again).
      this.followingBoot = vm;
      try {
        const save = plan.kind === 'save' ? plan : null;
        await followBootConsole(vm, {
          ...this.consoleSteps(),
          onSnapshotPoint: save ? () => this.snapshots.saveAndResume(vm, save.key) : undefined,
        });
        return vm;
      } catch (error) {
        if (!(error instanceof EarlyBootFailedError)) throw error;
        const say = EARLY_BOOT_FAILURE[error.how];
        if (attempt > 1) throw new VmError(say.twice(error.seconds));
        await this.abandon(vm); // its exit is this start's business, not a crash
        fs.copyFileSync(this.consoleLogPath, path.join(this.options.stateDir, `console-${error.how}.log`));
        await this.stopFolderDaemons();
        this.transition({ type: 'retry', reason: say.retry(error.seconds) });
      } finally {
        this.followingBoot = null;
        this.snapshots.finish();
      }
    }
  }

  /**
   * Starts QEMU waiting for the stored state, loads it and follows the restored guest to BERTH-READY.
   * Any failure (QEMU refuses the state, the guest does not come up) deletes the snapshot, says so in
   * the start's snapshot note, and resolves null: the start boots cold instead, on the same disk.
   */
  private async restoreSnapshot(
    config: EngineVmConfig,
    plan: Extract<SnapshotPlan, { kind: 'restore' }>,
  ): Promise<EngineVm | null> {
    this.steps = QEMU_RESTORE_STEPS;
    this.transition({ type: 'step', step: 'restoring' });
    let vm: EngineVm | null = null;
    try {
      vm = await EngineVm.start(this.snapshots.machine(config, plan), this.qemuPrograms.system);
      const started = vm;
      this.vm = started;
      void started.exitStatus.then((exitStatus) => this.onQemuExit(started, exitStatus));
      this.followingBoot = started;
      await this.snapshots.restore(started, plan);
      await followBootConsole(started, this.consoleSteps());
      return started;
    } catch (error) {
      const note = this.snapshots.restoreFailed(error);
      if (vm) await this.abandon(vm);
      this.steps = QEMU_START_STEPS;
      this.transition({ type: 'retry', reason: note });
      return null;
    } finally {
      this.followingBoot = null;
      this.snapshots.finish();
    }
  }

  /** How a boot's console is followed: its stall limit, and its markers as this start's steps. */
  private consoleSteps(): { stallMs: number; onStep: (step: VmStartStep) => void } {
    return {
      stallMs: this.options.earlyBootStallMs ?? earlyBootStallMs(this.guestArch),
      onStep: (step) => this.transition({ type: 'step', step }),
    };
  }

  /**
   * Kills a QEMU this start gives up on, so that its exit is not reported as a crash; the next boot
   * waits for that exit (the disk's lock). Resolves when it has exited.
   */
  private abandon(vm: EngineVm): Promise<unknown> {
    if (this.vm === vm) this.vm = null;
    vm.kill();
    this.qemuGone = vm.exitStatus;
    return vm.exitStatus;
  }

  /** Asks the guest to sync and power off; kills QEMU if it has not exited in time. */
  async stop(): Promise<void> {
    const vm = this.vm;
    if (!vm || this.current.kind === 'stopped' || this.current.kind === 'error') {
      if (this.current.kind === 'stopped' || this.current.kind === 'error') this.releaseLock();
      return;
    }
    this.host.detach();
    // A resting guest cannot see the power button: wake it first (a failed wake is the kill below).
    await this.restSession?.wakeUp().catch(() => undefined);
    this.closeRestSession();
    // The wake may have failed, or QEMU died meanwhile: then there is nothing left to power off.
    if (this.stateKind() === 'stopped' || this.stateKind() === 'error') return this.releaseLock();
    this.transition({ type: 'stop' });
    try {
      await vm.powerOff(POWEROFF_TIMEOUT_MS);
    } catch {
      vm.kill(); // powerOff already killed it on a timeout; this covers a dead QMP socket
    }
    await vm.exitStatus;
    await this.stopFolderDaemons();
    this.releaseLock();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Host folders the VM shows at the same path: those mounted in the running VM, else the configured ones. */
  get sharedFolders(): string[] {
    if (this.boot && (this.current.kind === 'running' || this.current.kind === 'resting')) {
      return this.boot.sharedFolders.filter((folder) => !this.boot?.unmounted.includes(folder));
    }
    return vmSettingsView(this.settingsSource, this.options.settings).settings.sharedFolders;
  }

  /** The stored settings (with the options' override) and this computer's limits, for a form. */
  settings(): VmSettingsView {
    return vmSettingsView(this.settingsSource, this.options.settings);
  }

  /**
   * Cuts or restores the VM's network link (QEMU's `set_link`): the guest sees its cable pulled, and
   * everything the host sends through QEMU's forwards waits unanswered. For fault tests: Berth's engine
   * connection must say so within seconds and recover by itself when the link is back.
   */
  async setNetworkLink(up: boolean): Promise<void> {
    const vm = this.vm;
    if (!vm || this.current.kind !== 'running') throw new VmError(`The VM is ${this.current.kind}, not running.`);
    // HMP answers a failure as text (an unknown device); success is silent.
    const output = (await vm.monitorCommand(`set_link ${NETWORK_ID} ${up ? 'on' : 'off'}`)).trim();
    if (output !== '') throw new VmError(`Could not turn the VM's network link ${up ? 'on' : 'off'}: ${output}`);
  }

  /** The disk full, in Berth's words: the size the running VM booted with (a raised size waits for a restart). */
  diskFullMessage(): string {
    return vmDiskFullMessage(this.boot?.settings.diskGiB ?? this.settings().settings.diskGiB);
  }

  /** Checks and stores new settings; a VmError says why they cannot apply (nothing stored then). */
  async updateSettings(next: VmSettings): Promise<{ settings: VmSettings; needsRestart: boolean }> {
    const booted = ['running', 'resting', 'starting'].includes(this.current.kind);
    const applied = booted ? (this.boot?.settings ?? null) : null;
    const result = await updateVmSettings({
      source: this.settingsSource,
      diskPath: this.diskPath,
      next,
      applied,
      qemuImg: this.qemuPrograms.img,
    });
    // Applies now: the next rest counts from the new idle time.
    this.restIdleMs = this.options.restAfterMs ?? result.settings.restAfterMinutes * 60_000;
    this.restSession?.settingsChanged();
    return result;
  }

  /**
   * Stops the VM if it runs and deletes its data disk (images, containers, volumes), and only that:
   * settings and TLS material stay. The next start creates and formats a new disk.
   */
  async factoryReset(): Promise<void> {
    await this.stop();
    fs.rmSync(this.diskPath, { force: true });
    this.snapshots.discard();
  }

  dispose(): void {
    this.closeRestSession();
    this.host.dispose();
    this.folderDaemons?.dispose();
    this.vm?.kill();
    this.releaseLock();
  }

  /** One Berth per VM: two QEMUs on one data disk would corrupt it. Kept across a crash until stop or dispose. */
  private takeLock(): void {
    if (this.lock) return;
    try {
      ensurePrivateFolder("the VM's folder (its disk, TLS keys and the engine's host socket)", this.options.stateDir);
    } catch (error) {
      if (error instanceof UnsafeFolderError) throw new VmError(error.message);
      throw error;
    }
    try {
      this.lock = InstanceLock.acquire(path.join(this.options.stateDir, 'vm.lock'));
    } catch (error) {
      if (!(error instanceof InstanceLockedError)) throw error;
      throw new VmError(`Another Berth (pid ${error.holder.pid}) is already running this VM.`);
    }
  }

  private releaseLock(): void {
    this.lock?.release();
    this.lock = null;
  }

  /** The state's kind now (not narrowed by checks made before an await). */
  private stateKind(): VmState['kind'] {
    return this.current.kind;
  }

  private transition(input: VmInput): void {
    if (input.type === 'start') this.steps = QEMU_START_STEPS;
    const next = nextVmState(this.current, input, this.steps);
    if (next === this.current) return;
    this.current = next;
    this.stateEmitter.fire(next);
  }

  private onQemuExit(vm: EngineVm, exitStatus: string): void {
    if (this.vm !== vm || this.followingBoot === vm) return;
    this.vm = null;
    this.host.detach();
    this.closeRestSession();
    void this.stopFolderDaemons();
    if (this.current.kind === 'stopped') return;
    this.transition({ type: 'exited', exitStatus, consoleTail: this.consoleTail() });
  }

  /**
   * Resting for this boot: the TLS port's door, the idle policy, QMP stop/cont and the guest's agent.
   * A pause or wake that fails (QMP gone, the guest's QEMU hung) is the VM's failure: shown with its
   * console; QEMU is killed so that Start boots afresh on the same disk.
   */
  private openRestSession(vm: EngineVm, engine: { port: number; tls: TlsMaterial }): Promise<RestSession> {
    this.restIdleMs = this.options.restAfterMs ?? (this.boot?.settings.restAfterMinutes ?? 0) * 60_000;
    return RestSession.open({
      vm,
      agentSocketPath: this.restAgentSocketPath,
      engine,
      // No boot settings (cannot happen while a VM runs): 0 makes the memory step take nothing.
      memoryMiB: this.boot?.settings.memoryMiB ?? 0,
      idleMs: () => this.restIdleMs,
      onRest: (since) => this.transition({ type: 'rest', since }),
      onWake: (wakeMs) => {
        this.lastWake = wakeMs;
        this.transition({ type: 'wake' });
      },
      onFailed: (error) => {
        if (this.vm !== vm) return;
        this.host.detach();
        this.transition({
          type: 'failed',
          message: `The VM could not ${this.current.kind === 'resting' ? 'wake from its rest' : 'go to rest'}: ${error.message}`,
          consoleTail: this.consoleTail(),
        });
        void this.abandon(vm);
        this.closeRestSession();
        void this.stopFolderDaemons();
      },
    });
  }

  private closeRestSession(): void {
    this.restSession?.dispose();
    this.restSession = null;
  }

  private get restAgentSocketPath(): string {
    return path.join(this.options.stateDir, 'rest.sock');
  }

  /** The console log's last LINES lines (none when there is no log yet). */
  consoleTail(lines = CONSOLE_TAIL_LINES): string[] {
    try {
      return fs.readFileSync(this.consoleLogPath, 'utf8').trimEnd().split('\n').slice(-lines);
    } catch {
      return [];
    }
  }

  /** virtiofsd exits by itself when QEMU does; this makes sure, and a new boot waits for it. */
  private stopFolderDaemons(): Promise<void> {
    const daemons = this.folderDaemons;
    this.folderDaemons = null;
    if (daemons) this.foldersStopped = daemons.stop();
    return this.foldersStopped;
  }

  private async prepare(): Promise<EngineVmConfig> {
    const { stateDir, imageDir } = this.options;
    await this.foldersStopped; // the last boot's virtiofsd must not remove this boot's sockets
    await this.qemuGone;
    // Image, settings, shared folders and disk size, each a VmError before anything is started.
    const guestArch = this.guestArch;
    // This host's QEMU (program, version, accelerator, folder sharing) for this guest's architecture.
    const platform = { ...hostPlatform(this.options.host), guestArch };
    const profile = qemuProfile(platform, { bundledQemuDir: this.options.bundledQemuDir, qemuDir: this.options.qemuDir });
    const prepared = await prepareBoot({
      stateDir,
      imageDir,
      guestArch,
      diskPath: this.diskPath,
      profile,
      forceTcg: this.options.accelerator === 'tcg',
      settingsSource: this.settingsSource,
      override: this.options.settings,
    });
    this.qemuPrograms = { system: prepared.qemu.qemuSystem, img: prepared.qemu.qemuImg };
    this.qemuInstallation = prepared.qemu;
    this.folderDaemons = prepared.folderDaemons;
    this.boot = { settings: prepared.settings, sharedFolders: prepared.sharedFolders, unmounted: [] };
    // The CA key stays on the host; the VM gets only its server certificate and key.
    await ensureTlsMaterial(this.tlsDir);
    this.accelerator ??= await chooseAccelerator({
      family: profile.accelerator,
      forceTcg: this.options.accelerator === 'tcg',
      kernelPath: prepared.config.kernelPath,
      guestArch,
      qemu: prepared.qemu,
    });
    this.guestPort = await freeLoopbackPort();
    return {
      ...prepared.config,
      diskPath: this.diskPath,
      diskFormat: 'qcow2',
      accelerator: this.accelerator.accelerator,
      engineHostPort: this.guestPort,
      restAgentSocketPath: this.restAgentSocketPath,
      serialLogPath: this.consoleLogPath,
      qmpSocketPath: path.join(stateDir, 'qmp.sock'),
      configFiles: {
        'ca.pem': path.join(this.tlsDir, 'ca.pem'),
        'server-cert.pem': path.join(this.tlsDir, 'server-cert.pem'),
        'server-key.pem': path.join(this.tlsDir, 'server-key.pem'),
        ...prepared.configFiles,
      },
      tscKhz: hostTscKhz(),
      extraKernelArgs: this.options.kernelArgs,
    };
  }
}
