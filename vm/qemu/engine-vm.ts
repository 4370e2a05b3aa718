// Runs one engine VM under QEMU: start, follow the serial console's BERTH-* markers, power off
// through ACPI (QMP system_powerdown), and kill as a last resort.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { FileChanges } from './file-changes.js';
import { buildQemuArgs, qemuBinary, type EngineVmConfig } from './qemu-args.js';
import { QmpClient } from './qmp-client.js';

/** Console reads wait for a write to the log; this long at most if a write went unnoticed. */
const CONSOLE_FALLBACK_MS = 250;

export class EngineVmError extends Error {
  constructor(
    message: string,
    readonly serialTail: string,
  ) {
    super(`${message}\n--- serial console (tail) ---\n${serialTail}`);
  }
}

/** QEMU exited before its monitor answered: a bad option, a missing accelerator, a locked disk. */
export class QemuExitedError extends Error {
  constructor(
    readonly exitStatus: string,
    readonly stderr: string,
  ) {
    super(`QEMU exited as it started (${exitStatus}): ${stderr.trim().split('\n')[0] || 'no message'}`);
  }
}

/**
 * How saveState writes guest memory: QEMU's migration stream, or (QEMU 9.0 and newer) `mapped-ram`,
 * each page at its own offset in a sparse file, so that a load reads only the pages that hold data and
 * never touches the others (the stream names every zero page, which a load into shared memory then
 * allocates). A file is loaded in the format it was saved in.
 */
export type StateFormat = 'stream' | 'mapped-ram';

export class EngineVm {
  /** performance.now() when QEMU was spawned. */
  readonly startedAt: number;
  private exitCode: number | null = null;
  private readonly exited: Promise<void>;
  /** How QEMU ended ("exit code 1", "signal SIGKILL"), once it has. */
  readonly exitStatus: Promise<string>;
  private stderr = '';
  private readonly consoleChanges: FileChanges;

  private constructor(
    private readonly config: EngineVmConfig,
    private readonly qemu: ChildProcess,
    private readonly qmp: QmpClient,
    startedAt: number,
    exited: Promise<void>,
    earlyStderr: string,
  ) {
    this.startedAt = startedAt;
    this.stderr = earlyStderr;
    this.exited = exited;
    this.consoleChanges = new FileChanges(config.serialLogPath);
    void exited.then(() => this.consoleChanges.dispose());
    qemu.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    void exited.then(() => (this.exitCode = qemu.exitCode ?? -1));
    this.exitStatus = exited.then(() =>
      qemu.signalCode ? `signal ${qemu.signalCode}` : `exit code ${qemu.exitCode ?? 'unknown'}`,
    );
  }

  /** qemuSystem: the program found for this host (qemu-binary.ts); by default the guest architecture's, from the PATH. */
  static async start(config: EngineVmConfig, qemuSystem?: string): Promise<EngineVm> {
    fs.rmSync(config.qmpSocketPath, { force: true });
    if (config.restAgentSocketPath) fs.rmSync(config.restAgentSocketPath, { force: true });
    if (config.bootSnapshot) fs.rmSync(config.bootSnapshot.resumeSocketPath, { force: true });
    fs.writeFileSync(config.serialLogPath, '');
    const startedAt = performance.now();
    const qemu = spawn(qemuSystem ?? qemuBinary(config), buildQemuArgs(config), { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<void>((resolve) => qemu.once('exit', () => resolve()));
    let earlyStderr = '';
    const collect = (chunk: Buffer): void => void (earlyStderr += chunk.toString());
    qemu.stderr?.on('data', collect);
    try {
      // A QEMU that exits at once (an option or accelerator it refuses) says why on stderr: report
      // that rather than wait out the monitor's connect timeout.
      const connecting = QmpClient.connect(config.qmpSocketPath, 10_000);
      const qmp = await Promise.race([connecting, exited.then(() => null)]);
      if (!qmp) {
        void connecting.then((client) => client.close()).catch(() => undefined);
        const status = qemu.signalCode ? `signal ${qemu.signalCode}` : `exit code ${qemu.exitCode ?? 'unknown'}`;
        throw new QemuExitedError(status, earlyStderr);
      }
      qemu.stderr?.off('data', collect);
      return new EngineVm(config, qemu, qmp, startedAt, exited, earlyStderr);
    } catch (error) {
      qemu.kill('SIGKILL');
      throw error;
    }
  }

  get running(): boolean {
    return this.exitCode === null;
  }

  /** What QEMU printed on stderr so far (its own errors, such as an accelerator it cannot get). */
  get qemuStderr(): string {
    return this.stderr;
  }

  serialLog(): string {
    try {
      return fs.readFileSync(this.config.serialLogPath, 'utf8');
    } catch {
      return '';
    }
  }

  /** Resolves when the console has new output since the last call (or QEMU exited); see FileChanges. */
  consoleChanged(): Promise<void> {
    return this.consoleChanges.next(CONSOLE_FALLBACK_MS);
  }

  serialTail(lines = 40): string {
    return [...this.serialLog().split('\n').slice(-lines), this.stderr.trim()].filter(Boolean).join('\n');
  }

  /** Resolves with ms since start when a serial line starts with marker; rejects if QEMU exits first. */
  async waitForMarker(marker: string, timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    const pattern = new RegExp(`^${marker}\\b`, 'm');
    for (;;) {
      await this.consoleChanged();
      if (pattern.test(this.serialLog())) return performance.now() - this.startedAt;
      if (!this.running) throw new EngineVmError(`QEMU exited (${this.exitCode}) before ${marker}`, this.serialTail());
      if (performance.now() > deadline) throw new EngineVmError(`no ${marker} within ${timeoutMs} ms`, this.serialTail());
    }
  }

  /** A monitor command over the QMP connection held open since start (no reconnect, no polling). */
  monitorCommand(commandLine: string): Promise<string> {
    return this.qmp.humanMonitorCommand(commandLine);
  }

  /** Pauses the vCPUs (QMP stop): the guest stands still; QEMU's main loop, slirp and the monitor go on. */
  async pause(): Promise<void> {
    await this.qmp.execute('stop');
  }

  /** Resumes paused vCPUs (QMP cont). */
  async resume(): Promise<void> {
    await this.qmp.execute('cont');
  }

  /** QMP balloon: the guest's memory target in bytes (the balloon takes the rest from the guest). */
  async setBalloonTarget(bytes: number): Promise<void> {
    await this.qmp.execute('balloon', { value: bytes });
  }

  /** QMP BALLOON_CHANGE: the guest's memory now, in bytes; returns the unsubscribe function. */
  onBalloonChange(listener: (actualBytes: number) => void): () => void {
    return this.qmp.onEvent((event) => {
      const actual = (event.data as { actual?: unknown } | undefined)?.actual;
      if (event.event === 'BALLOON_CHANGE' && typeof actual === 'number') listener(actual);
    });
  }

  /**
   * Writes the whole machine (memory and device state) into `file` (QMP migrate to a file: URI, QEMU 8.2
   * and newer). The guest runs on while it is written; once it is, QEMU holds the vCPUs paused:
   * `resume()` lets the guest go on.
   */
  async saveState(file: string, format: StateFormat = 'stream'): Promise<void> {
    await this.migration('migrate', file, format);
  }

  /** Loads a state saveState wrote, into a QEMU started with `-incoming defer`; the guest then runs on. */
  loadState(file: string, format: StateFormat = 'stream'): Promise<void> {
    return this.migration('migrate-incoming', file, format);
  }

  private async migration(command: 'migrate' | 'migrate-incoming', file: string, format: StateFormat): Promise<void> {
    // MIGRATION events on every status change: the end is an event, not something to poll for.
    const capabilities = [{ capability: 'events', state: true }];
    if (format === 'mapped-ram') capabilities.push({ capability: 'mapped-ram', state: true });
    await this.qmp.execute('migrate-set-capabilities', { capabilities });
    const verb = command === 'migrate' ? 'save' : 'load';
    let unsubscribe = (): void => undefined;
    const ended = new Promise<void>((resolve, reject) => {
      unsubscribe = this.qmp.onEvent((event) => {
        const status = event.event === 'MIGRATION' ? (event.data as { status?: string } | undefined)?.status : undefined;
        if (status === 'completed') resolve();
        if (status === 'failed' || status === 'cancelled') {
          void this.qmp
            .execute('query-migrate')
            .then(
              (info) => (info as { 'error-desc'?: string })['error-desc'],
              () => undefined,
            )
            .then((why) => reject(new Error(`QEMU could not ${verb} the VM's state${why ? `: ${why}` : ''}`)));
        }
      });
    });
    const exited = this.exited.then(() => {
      throw new Error(`QEMU exited during ${command} (${this.stderr.trim().split('\n').pop() ?? ''})`);
    });
    try {
      await this.qmp.execute(command, { uri: `file:${file}` });
      await Promise.race([ended, exited]);
    } finally {
      unsubscribe();
      void exited.catch(() => undefined);
    }
  }

  /** ACPI power button, then wait for QEMU to exit; resolves with the ms it took. */
  async powerOff(timeoutMs: number): Promise<number> {
    const began = performance.now();
    await this.qmp.execute('system_powerdown');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.exited.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    this.qmp.close();
    if (timedOut) {
      this.kill();
      throw new EngineVmError(`guest did not power off within ${timeoutMs} ms`, this.serialTail());
    }
    return performance.now() - began;
  }

  kill(): void {
    this.qmp.close();
    if (this.running) this.qemu.kill('SIGKILL');
  }
}
