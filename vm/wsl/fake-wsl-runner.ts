/**
 * A stand-in for wsl.exe that behaves like WSL as far as WslMachine can tell: distributions appear on
 * import and go on unregister, Berth's init prints what init.sh prints and stops on SIGTERM, and a
 * terminate ends it. For the machine's tests (wsl-machine.test.ts); each behaviour can be changed.
 */
import { Emitter } from '../../base/index.js';
import { wslCommands, type WslCommandResult } from './wsl-commands.js';
import type { WslProcess, WslRunner } from './wsl-runner.js';

const OK: WslCommandResult = { code: 0, stdout: '', stderr: '' };

export class FakeInit implements WslProcess {
  private readonly lines = new Emitter<string>();
  private resolveExit!: (status: string) => void;
  running = true;
  readonly exitStatus = new Promise<string>((resolve) => (this.resolveExit = resolve));
  readonly onLine = this.lines.event;
  killed = false;

  print(...lines: string[]): void {
    for (const line of lines) this.lines.fire(line);
  }

  exit(status: string): void {
    if (!this.running) return;
    this.running = false;
    this.resolveExit(status);
  }

  kill(): void {
    this.killed = true;
    this.exit('signal SIGTERM');
  }
}

export interface FakeWslCall {
  args: string[];
  input?: Buffer;
}

export class FakeWslRunner implements WslRunner {
  readonly calls: FakeWslCall[] = [];
  readonly inits: FakeInit[] = [];
  /** The distributions `wsl --list --verbose` shows: name -> WSL version. */
  readonly distros = new Map<string, 1 | 2>();
  status: WslCommandResult = { code: 0, stdout: 'Default Version: 2\n', stderr: '' };
  importResult: WslCommandResult = OK;
  /** What init does once started (asynchronously, as output arrives): a good boot by default. */
  boot: (init: FakeInit) => void = (init) =>
    init.print(
      'BERTH-STEP rootfs t=0.01',
      'BERTH-STEP config t=0.02',
      'BERTH-STEP engine t=0.05',
      'BERTH-STEP network t=0.3',
      'BERTH-READY t=0.9',
    );
  /** Whether init stops on the SIGTERM that requestStop sends. */
  stopsOnRequest = true;

  constructor(private readonly distro = 'berth') {}

  get commands() {
    return wslCommands(this.distro);
  }

  /** The calls' argument lists, each joined with spaces, for reading in an assertion. */
  get commandLines(): string[] {
    return this.calls.map((call) => call.args.join(' '));
  }

  get lastInit(): FakeInit {
    const init = this.inits.at(-1);
    if (!init) throw new Error('init was never started');
    return init;
  }

  async run(args: readonly string[], options: { input?: Buffer } = {}): Promise<WslCommandResult> {
    this.calls.push({ args: [...args], input: options.input });
    await Promise.resolve(); // answers come later, as from a process
    const joined = args.join(' ');
    const commands = this.commands;
    if (joined === commands.status.join(' ')) return this.status;
    if (joined === commands.list.join(' ')) {
      if (this.distros.size === 0)
        return { code: 1, stdout: 'Windows Subsystem for Linux has no installed distributions.\n', stderr: '' };
      const rows = [...this.distros].map(([name, version]) => `  ${name.padEnd(16)}Stopped         ${version}`);
      return { code: 0, stdout: ['  NAME            STATE           VERSION', ...rows].join('\n'), stderr: '' };
    }
    if (args[0] === '--import') {
      if (this.importResult.code === 0) this.distros.set(args[1]!, 2);
      return this.importResult;
    }
    if (joined === commands.unregister.join(' ')) {
      this.distros.delete(this.distro);
      return OK;
    }
    if (joined === commands.terminate.join(' ')) {
      for (const init of this.inits) init.exit('exit code 1');
      return OK;
    }
    if (joined === commands.requestStop.join(' ')) {
      const init = this.inits.find((candidate) => candidate.running);
      if (init && this.stopsOnRequest) {
        setImmediate(() => {
          init.print('BERTH-STEP poweroff t=9.1', 'BERTH-POWEROFF t=9.4');
          init.exit('exit code 0');
        });
      }
      return OK;
    }
    if (joined === commands.writeConfig.join(' ')) return OK;
    return { code: 1, stdout: '', stderr: `fake wsl.exe: unexpected command ${joined}` };
  }

  spawn(args: readonly string[]): WslProcess {
    this.calls.push({ args: [...args] });
    const init = new FakeInit();
    this.inits.push(init);
    setImmediate(() => this.boot(init));
    return init;
  }
}
