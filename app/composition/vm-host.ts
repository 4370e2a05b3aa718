/**
 * Berth's engine machine as the app uses it: the QEMU VmService (Linux, macOS) or WSL 2 (Windows), as
 * vm/platform/host-platform.ts chooses; the ManagedVm view the API and UI see; and the engine connection
 * kept pointed at the machine's host socket (or named pipe). That path never changes between boots (the
 * TLS port behind it may), so the connection's endpoint is fixed and a boot only has to say "connect
 * now" instead of waiting out the reconnect backoff.
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DisposableStore, Emitter, toDisposable, type Disposable } from '../../base/index.js';
import type { EngineConnection } from '../../engine/core/index.js';
import type { EngineEndpoint } from '../../engine/core/index.js';
import { VM_STEP_LABELS } from '../../vm/lifecycle/vm-state.js';
import { guestArchForHost, isGuestArch, type GuestArch } from '../../vm/qemu/machine-profile.js';
import { newerQemuDir } from '../../vm/qemu/newer-qemu.js';
import type { VmSettingsSource } from '../../vm/settings/vm-settings.js';
import { VmError } from '../../vm/vm-error.js';
import { dockerHostUrl, localSocketEndpoint, type EngineMachine } from '../../vm/engine-machine.js';
import { hostPlatform } from '../../vm/platform/host-platform.js';
import { VmService } from '../../vm/vm-service.js';
import { createWslEngineMachine, ENGINE_PIPE_PATH } from '../../vm/wsl/index.js';
import type { ManagedVm } from '../backend/machine-api.js';
import type { SettingsService } from '../settings/index.js';
import { cliPluginsView } from './cli-plugins-view.js';

export interface VmHost {
  readonly endpoint: EngineEndpoint;
  readonly description: string;
  readonly managed: ManagedVm;
  readonly service: EngineMachine;
  /** Keeps the target pointed at the VM's engine while it boots and stops; returns a disposer. */
  attach(target: Pick<EngineConnection, 'useEndpoint'>): Disposable;
  stop(): Promise<void>;
}

export interface VmHostOptions {
  stateDir: string;
  /** The project root: vm/ scripts and (by default) vm/.build/image/ARCH live under it. */
  projectRoot: string;
  /** Where the VM image is (and a rebuild writes it); default vm/.build/image/ARCH. */
  imageDir?: string;
  /**
   * The guest's architecture; default BERTH_VM_ARCH (the variable build-image.sh reads, to try the
   * other architecture under emulation), else the host CPU's.
   */
  guestArch?: GuestArch;
  /** Berth's settings file: the VM reads and stores its settings there; without it, in its own settings.json. */
  settings?: SettingsService;
}

/**
 * Where the VM image's build scripts and the built images (one folder per guest architecture: amd64,
 * arm64) are under the project root: a checkout, or a packaged app's resources, which
 * electron-builder.yml lays out the same way (packaging.test.ts holds the two together).
 */
export const VM_SCRIPTS_SUBDIR = join('vm', 'image');
export const VM_IMAGE_SUBDIR = join('vm', '.build', 'image');
/** docker compose and buildx for the user's CLI, one folder per host architecture (build-cli-plugins.sh). */
export const VM_CLI_PLUGINS_SUBDIR = join('vm', '.build', 'cli-plugins');

/** BERTH_VM_ARCH when it names an architecture, else the host CPU's (null on neither x64 nor arm64). */
function defaultGuestArch(): GuestArch | null {
  const fromEnv = process.env.BERTH_VM_ARCH;
  return fromEnv && isGuestArch(fromEnv) ? fromEnv : guestArchForHost();
}

const run = promisify(execFile);
const IMAGE_BUILD_TIMEOUT_MS = 15 * 60_000;

function managedView(
  vm: EngineMachine,
  projectRoot: string,
  image: { dir: string; arch: () => GuestArch },
  settings: SettingsService | undefined,
): { managed: ManagedVm; start(): Promise<void> } {
  const imageDir = image.dir;
  // Set by a start that found the image missing or damaged; the UI then offers the rebuild.
  let imageNeedsRebuild = false;
  // Set by a call that found the disk full; cleared when space is freed or the VM boots again.
  let diskFull: string | null = null;
  vm.onStateChange((state) => {
    if (state.kind === 'running' && diskFull !== null) {
      diskFull = null;
      changes.fire();
    }
  });
  const changes = new Emitter<void>();
  const start = async () => {
    try {
      await vm.start();
    } catch (error) {
      if (error instanceof VmError && error.rebuild) {
        imageNeedsRebuild = true;
        changes.fire();
      }
      throw error;
    }
  };
  const managed: ManagedVm = {
    get state() {
      return vm.state;
    },
    onChange(listener) {
      const store = new DisposableStore();
      store.add(vm.onStateChange(() => listener()));
      store.add(vm.onPortProblemsChange(() => listener()));
      store.add(vm.onCliPluginsChange(() => listener()));
      store.add(changes.event(() => listener()));
      return store;
    },
    details() {
      const context = vm.dockerContext;
      const socketPath = vm.hostSocketPath;
      return {
        notice: vm.notice,
        dockerHost: socketPath ? dockerHostUrl(socketPath) : null,
        dockerContext: context && context.status !== 'skipped' ? context.name : null,
        sharedFolders: vm.sharedFolders,
        portProblems: Object.fromEntries([...vm.portProblems()].map(([id, problems]) => [id, [...problems]])),
        cliPlugins: cliPluginsView(vm.cliPlugins, os.homedir()),
        imageNeedsRebuild,
        diskFull,
        bootSnapshot: vm.bootSnapshot ?? null,
      };
    },
    forwardHolding: (port) => vm.forwardHolding?.(port) ?? null,
    forwardsReady: async (containerId) => vm.forwardsReady?.(containerId),
    ...(vm.heartbeatPing ? { heartbeatPing: (signal: AbortSignal) => vm.heartbeatPing!(signal) } : {}),
    start,
    stop: () => vm.stop(),
    restart: () => vm.restart(),
    factoryReset: () => vm.factoryReset(),
    async rebuildImage() {
      // The same script as `npm run vm:image`: Debian packages through this computer's apt configuration.
      // Forced: its own "up to date" check looks at package versions, not at a file damaged since.
      try {
        await run('bash', [join(projectRoot, VM_SCRIPTS_SUBDIR, 'build-image.sh'), image.arch(), imageDir], {
          timeout: IMAGE_BUILD_TIMEOUT_MS,
          env: { ...process.env, BERTH_VM_FORCE: '1' },
        });
      } catch (error) {
        const output = (error as { stderr?: string }).stderr?.trim().split('\n').at(-1);
        throw new VmError(`Rebuilding the VM image failed: ${output || (error as Error).message}`);
      }
      imageNeedsRebuild = false;
      changes.fire();
      await start();
    },
    settings: () => vm.settings(),
    noteDiskFull() {
      diskFull = vm.diskFullMessage?.() ?? null;
      changes.fire();
      return diskFull;
    },
    clearDiskFull() {
      if (diskFull === null) return;
      diskFull = null;
      changes.fire();
    },
    // Through the settings file when there is one: locked keys refused, the file written once.
    updateSettings: (next) => (settings ? settings.setVm(next) : vm.updateSettings(next)),
  };
  return { managed, start };
}

/**
 * docker compose and buildx for the user's docker, as Docker Desktop gives them; BERTH_CLI_PLUGINS=0
 * leaves the user's plugin folder alone. They are Debian's Linux builds: on macOS and Windows the
 * user's folder would need that platform's own, which Berth does not build yet.
 */
function cliPluginsOption(projectRoot: string): { sourceDir: string } | false {
  const arch = guestArchForHost();
  if (process.env.BERTH_CLI_PLUGINS === '0' || process.platform !== 'linux' || !arch) return false;
  return { sourceDir: join(projectRoot, VM_CLI_PLUGINS_SUBDIR, arch) };
}

/** The machine this host's provider runs (vm/platform/host-platform.ts), and how the app reaches its engine. */
function createMachine(
  options: VmHostOptions,
  imageDir: string,
  guestArch: GuestArch | null,
): { machine: EngineMachine; endpoint: EngineEndpoint; description: string } {
  // The machine checks a change against this computer (disk, folders) before the settings file takes it.
  const created: { machine?: EngineMachine } = {};
  const settingsSource = options.settings?.connectVm((next) => {
    if (!created.machine) throw new VmError('The VM is not ready for settings yet.');
    return created.machine.updateSettings(next);
  });
  const made = createProviderMachine(options, imageDir, guestArch, settingsSource);
  created.machine = made.machine;
  return made;
}

function createProviderMachine(
  options: VmHostOptions,
  imageDir: string,
  guestArch: GuestArch | null,
  settingsSource: VmSettingsSource | undefined,
): { machine: EngineMachine; endpoint: EngineEndpoint; description: string } {
  if (providerForThisHost() === 'wsl2') {
    // WSL 2 on Windows: the same root file system as a distribution, reached through a named pipe.
    const machine = createWslEngineMachine({ stateDir: options.stateDir, imageDir, settingsSource });
    return { machine, endpoint: localSocketEndpoint(ENGINE_PIPE_PATH), description: "Berth's engine (WSL 2)" };
  }
  const machine = new VmService({
    stateDir: options.stateDir,
    imageDir,
    settingsSource,
    // None on a CPU without an image: the service's start then says so.
    guestArch: guestArch ?? undefined,
    // For reading a guest problem, e.g. `loglevel=7 softlockup_all_cpu_backtrace=1` (vm/README.md).
    kernelArgs: process.env.BERTH_VM_KERNEL_ARGS?.split(' ').filter(Boolean),
    cliPlugins: cliPluginsOption(options.projectRoot),
    // A QEMU packaged with the app (resources/qemu/bin), used when none is installed.
    bundledQemuDir: join(options.projectRoot, 'qemu', 'bin'),
    // A QEMU new enough for boot snapshots, unpacked by tools/setup.sh where the system's is older.
    qemuDir: newerQemuDir(options.projectRoot),
  });
  // The host socket VmService opens for every boot (mode 0600, in the VM's state directory).
  const endpoint: EngineEndpoint = { kind: 'unix', socketPath: join(options.stateDir, 'docker.sock') };
  return { machine, endpoint, description: "Berth's VM (QEMU)" };
}

/** 'wsl2' on Windows; 'qemu' elsewhere, also on a host Berth's VM does not run on (its start then says why). */
function providerForThisHost(): 'qemu' | 'wsl2' {
  try {
    return hostPlatform().provider;
  } catch {
    return 'qemu';
  }
}

export async function createVmHost(options: VmHostOptions): Promise<VmHost> {
  const guestArch = options.guestArch ?? defaultGuestArch();
  const imageDir = options.imageDir ?? join(options.projectRoot, VM_IMAGE_SUBDIR, guestArch ?? process.arch);
  const { machine: service, endpoint, description } = createMachine(options, imageDir, guestArch);
  // The console too, for whoever started Berth from a terminal.
  let previous = service.state.kind;
  service.onStateChange((state) => {
    // Waking from a rest is the same boot: no new settings read, nothing to connect anew.
    const booted = state.kind === 'running' && previous === 'starting';
    previous = state.kind;
    if (state.kind === 'starting') console.log(`VM: ${VM_STEP_LABELS[state.step]}…${state.retry ? ` ${state.retry}` : ''}`);
    if (booted) console.log(`VM: running (engine ready ${(state.bootMs / 1000).toFixed(1)} s after boot)`);
    // How the start went as far as its boot snapshot goes, and why when it was not used: on stderr, so
    // that it is in the log of whatever started Berth (a test's, too).
    const snapshot = booted ? service.bootSnapshot : null;
    if (snapshot)
      console.error(
        `VM: ${snapshot.start === 'restored' ? 'restored from its boot snapshot' : `booted cold${snapshot.start === 'saved' ? ', boot snapshot saved' : ''}`}${snapshot.note ? `: ${snapshot.note}` : ''}`,
      );
    // The boot read the settings as they are now: nothing waits for a restart any more.
    if (booted) options.settings?.vmRestarted();
    if (state.kind === 'resting') console.log('VM: resting (paused; wakes on the next engine request)');
    if (state.kind === 'error') console.log(`VM: ${state.failure.message}`);
  });
  const image = { dir: imageDir, arch: () => guestArch ?? hostPlatform().guestArch };
  const view = managedView(service, options.projectRoot, image, options.settings);
  if (service.settings().settings.startOnLaunch) {
    // Not awaited: the UI shows the progress, and a failure lands in the VM's error state with its details.
    view.start().catch(() => undefined);
  }
  return {
    endpoint,
    description,
    managed: view.managed,
    service,
    attach(connection) {
      // Once per boot: a wake from rest keeps the connection (its event stream stayed open through the rest).
      let connected = false;
      const connectWhenRunning = () => {
        const up = service.state.kind === 'running' || service.state.kind === 'resting';
        if (up && !connected) connection.useEndpoint(endpoint);
        connected = up;
      };
      connectWhenRunning();
      const subscription = service.onStateChange(connectWhenRunning);
      return toDisposable(() => subscription.dispose());
    },
    async stop() {
      await service.stop();
      service.dispose();
    },
  };
}
