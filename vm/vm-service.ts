/**
 * The engine VM, owned: prepares what a boot needs (image, per-installation TLS material, the data
 * disk), boots it under QEMU, follows the guest's progress markers, hands out the engine endpoint
 * (mutual TLS on 127.0.0.1), powers it off gracefully, and notices at once when QEMU dies. Every
 * change goes through the VmState machine; nothing here knows of Electron or the UI.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Emitter, type Disposable } from '../engine/disposable.js';
import type { EngineEndpoint } from '../engine/endpoint.js';
import { consoleMarker, nextVmState, type VmInput, type VmState } from './lifecycle/vm-state.js';
import { accelerationNotice, probeAccelerator, type AcceleratorChoice } from './qemu/accelerator.js';
import { EngineVm } from './qemu/engine-vm.js';
import type { EngineVmConfig } from './qemu/qemu-args.js';
import { freeLoopbackPort, hostTscKhz } from './qemu/host-facts.js';

const run = promisify(execFile);
const MARKER_POLL_MS = 25;
const READY_TIMEOUT_MS = 180_000;
const POWEROFF_TIMEOUT_MS = 30_000;
const CONSOLE_TAIL_LINES = 40;

export interface VmSettings {
  cpus: number;
  memoryMiB: number;
  diskGiB: number;
}

export const DEFAULT_VM_SETTINGS: VmSettings = { cpus: 2, memoryMiB: 2048, diskGiB: 64 };

export interface VmServiceOptions {
  /** Berth's per-user state for the VM: data disk, TLS material, console log, QMP socket. */
  stateDir: string;
  /** Where build-image.sh put vmlinux and initramfs.img. */
  imageDir: string;
  /** The vm/ source folder, for its scripts (make-tls.sh); bundles move code away from it. */
  vmSourceDir: string;
  settings?: VmSettings;
}

export class VmError extends Error {}

export class VmService implements Disposable {
  private current: VmState = { kind: 'stopped' };
  private readonly stateEmitter = new Emitter<VmState>();
  private vm: EngineVm | null = null;
  private port = 0;
  private accelerator: AcceleratorChoice | null = null;
  private readonly settings: VmSettings;
  readonly onStateChange = this.stateEmitter.event;

  constructor(private readonly options: VmServiceOptions) {
    this.settings = options.settings ?? DEFAULT_VM_SETTINGS;
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

  /** The notice to show when the VM runs without hardware acceleration (known after the first start). */
  get notice(): string | null {
    return this.accelerator ? accelerationNotice(this.accelerator) : null;
  }

  /** Where the engine answers while the VM runs: 127.0.0.1, mutual TLS with this installation's certificates. */
  endpoint(): EngineEndpoint {
    if (this.current.kind !== 'running') throw new VmError(`The VM is ${this.current.kind}, not running.`);
    const read = (name: string) => fs.readFileSync(path.join(this.tlsDir, name), 'utf8');
    return {
      kind: 'tcp',
      host: '127.0.0.1',
      port: this.port,
      tls: { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') },
    };
  }

  async start(): Promise<void> {
    this.transition({ type: 'start' });
    try {
      const config = await this.prepare();
      const vm = await EngineVm.start(config);
      this.vm = vm;
      void vm.exitStatus.then((exitStatus) => this.onQemuExit(vm, exitStatus));
      this.transition({ type: 'step', step: 'booting-kernel' });
      await this.followConsole(vm);
      this.transition({ type: 'step', step: 'connecting' });
      await this.waitForEngine(vm);
      this.transition({ type: 'ready', bootMs: Math.round(performance.now() - vm.startedAt) });
    } catch (error) {
      if (this.current.kind === 'starting') {
        this.transition({
          type: 'failed',
          message: (error as Error).message.split('\n')[0] ?? 'failed',
          consoleTail: this.consoleTail(),
        });
        this.vm?.kill();
      }
      throw error;
    }
  }

  /** Asks the guest to sync and power off; kills QEMU if it has not exited in time. */
  async stop(): Promise<void> {
    const vm = this.vm;
    if (!vm || this.current.kind === 'stopped' || this.current.kind === 'error') return;
    this.transition({ type: 'stop' });
    try {
      await vm.powerOff(POWEROFF_TIMEOUT_MS);
    } catch {
      vm.kill(); // powerOff already killed it on a timeout; this covers a dead QMP socket
    }
    await vm.exitStatus;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  dispose(): void {
    this.vm?.kill();
  }

  private transition(input: VmInput): void {
    const next = nextVmState(this.current, input);
    if (next === this.current) return;
    this.current = next;
    this.stateEmitter.fire(next);
  }

  private onQemuExit(vm: EngineVm, exitStatus: string): void {
    if (this.vm !== vm) return;
    this.vm = null;
    if (this.current.kind === 'stopped') return;
    this.transition({ type: 'exited', exitStatus, consoleTail: this.consoleTail() });
  }

  private consoleTail(): string[] {
    try {
      return fs
        .readFileSync(path.join(this.options.stateDir, 'console.log'), 'utf8')
        .trimEnd()
        .split('\n')
        .slice(-CONSOLE_TAIL_LINES);
    } catch {
      return [];
    }
  }

  private async prepare(): Promise<EngineVmConfig> {
    const { stateDir, imageDir } = this.options;
    const kernelPath = path.join(imageDir, 'vmlinux');
    const initrdPath = path.join(imageDir, 'initramfs.img');
    for (const file of [kernelPath, initrdPath]) {
      if (!fs.existsSync(file)) throw new VmError(`The VM image is missing (${file}). Build it with: npm run vm:image`);
    }
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    // The CA key stays on the host; the VM gets only its server certificate and key.
    await run('bash', [path.join(this.options.vmSourceDir, 'image', 'make-tls.sh'), this.tlsDir]);
    if (!fs.existsSync(this.diskPath)) {
      // Sparse: the guest formats it on first boot; it takes only what is written.
      await run('qemu-img', ['create', '-q', '-f', 'qcow2', this.diskPath, `${this.settings.diskGiB}G`]);
    }
    this.accelerator ??= await probeAccelerator(kernelPath);
    this.port = await freeLoopbackPort();
    return {
      kernelPath,
      initrdPath,
      diskPath: this.diskPath,
      diskFormat: 'qcow2',
      accelerator: this.accelerator.accelerator,
      memoryMiB: this.settings.memoryMiB,
      cpus: this.settings.cpus,
      engineHostPort: this.port,
      serialLogPath: path.join(stateDir, 'console.log'),
      qmpSocketPath: path.join(stateDir, 'qmp.sock'),
      configFiles: {
        'ca.pem': path.join(this.tlsDir, 'ca.pem'),
        'server-cert.pem': path.join(this.tlsDir, 'server-cert.pem'),
        'server-key.pem': path.join(this.tlsDir, 'server-key.pem'),
      },
      tscKhz: hostTscKhz(),
    };
  }

  /** Reads the console as the guest writes it and turns its markers into steps, until BERTH-READY. */
  private async followConsole(vm: EngineVm): Promise<void> {
    const deadline = performance.now() + READY_TIMEOUT_MS;
    let seen = 0;
    for (;;) {
      const lines = vm.serialLog().split('\n');
      // The last line may still be being written: read it next time.
      for (const line of lines.slice(seen, -1)) {
        const marker = consoleMarker(line);
        if (!marker) continue;
        if ('ready' in marker) return;
        if ('error' in marker) throw new VmError(`The VM reported: ${marker.error}`);
        this.transition({ type: 'step', step: marker.step });
      }
      seen = Math.max(seen, lines.length - 1);
      if (!vm.running) throw new VmError(`QEMU exited during boot (${await vm.exitStatus}).`);
      if (performance.now() > deadline) throw new VmError(`The VM did not become ready within ${READY_TIMEOUT_MS / 1000} s.`);
      await new Promise((resolve) => setTimeout(resolve, MARKER_POLL_MS));
    }
  }

  /** dockerd said it is ready inside; the host is ready when _ping answers through the TLS forward. */
  private async waitForEngine(vm: EngineVm): Promise<void> {
    const https = await import('node:https');
    const read = (name: string) => fs.readFileSync(path.join(this.tlsDir, name));
    const tls = { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
    const deadline = performance.now() + 60_000;
    while (performance.now() < deadline && vm.running) {
      const ok = await new Promise<boolean>((resolve) => {
        const request = https.request(
          { host: '127.0.0.1', port: this.port, path: '/_ping', ...tls, agent: false, timeout: 5_000 },
          (response) => {
            response.resume();
            resolve(response.statusCode === 200);
          },
        );
        request.on('error', () => resolve(false));
        request.on('timeout', () => request.destroy());
        request.end();
      });
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new VmError('The engine in the VM did not answer over TLS.');
  }
}
