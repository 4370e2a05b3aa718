/**
 * Interactive shells in running containers, through an exec with a TTY.
 *
 * Docker has no API to kill an exec, and closing the attach stream leaves the shell running. So the
 * shell is started through a one-line wrapper that first prints its own PID (as seen inside the
 * container) and then execs the real shell in place. Closing a session sends SIGHUP to that PID with
 * a second exec, as a terminal emulator's hang-up would, and SIGKILL to its process group if it is
 * still alive after a grace period. Everything goes through the engine API, so it works the same
 * when the engine runs inside a VM.
 */
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import type { EngineConnection } from '../core/index.js';
import { EngineError, toEngineError } from '../core/index.js';
import { classifyExecFailure, execFailureError } from './terminal-exec-failure.js';
import { TerminalOutputReader } from './terminal-output.js';
import type { ShellOptions, TerminalSize } from './terminal-types.js';

export const SHELL_CANDIDATES = ['/bin/bash', '/bin/sh'] as const;
const HANGUP_GRACE_MS = 1_500;

export interface TerminalSession {
  readonly id: string;
  readonly containerId: string;
  readonly shell: string;
  /** What runs: the shell, or the custom command. */
  readonly command: string;
  /** The shell's PID inside the container's PID namespace. */
  readonly pid: number;
  /** Terminal output, as the TTY wrote it (UTF-8 bytes). Pulling it is the backpressure: an unread stream stops reading the socket. */
  readonly output: AsyncIterable<Uint8Array>;
  write(data: string | Uint8Array): void;
  resize(size: TerminalSize): Promise<void>;
  /** The exit code once the shell ends by itself; null when it was hung up by close(). */
  readonly exited: Promise<number | null>;
  /** Ends the shell for real (hang-up, then kill) and releases the stream. */
  close(): Promise<void>;
}

/** Parses the wrapper's first line; anything else is the engine telling why the shell did not start. */
export function parsePidLine(line: string): number | null {
  const match = /^\s*(\d{1,10})\s*$/.exec(line);
  return match ? Number(match[1]) : null;
}

export function shellWrapperCommand(shell: string, command: string = shell, startIn?: string): string[] {
  // "$$" is the wrapper's PID, and exec keeps the PID, so it becomes the interactive shell's PID.
  const cd = startIn ? `cd '${startIn.replace(/'/g, `'\\''`)}' 2>/dev/null; ` : '';
  return [shell, '-c', `${cd}echo "$$"; exec ${command}`];
}

/** The shell execs of every container: opened with the shell wrapper, kept by session id until they end. */
export class ShellExecService {
  private readonly sessions = new Map<string, TerminalSession>();

  constructor(private readonly connection: EngineConnection) {}

  get(sessionId: string): TerminalSession | undefined {
    return this.sessions.get(sessionId);
  }

  get openSessionCount(): number {
    return this.sessions.size;
  }

  async open(containerId: string, size: TerminalSize, options: ShellOptions = {}): Promise<TerminalSession> {
    this.connection.assertConnected();
    const container = this.connection.docker.getContainer(containerId);
    const inspect = await container.inspect().catch((error: unknown) => {
      throw toEngineError(error, `open a terminal in ${containerId}`);
    });
    const name = inspect.Name.replace(/^\//, '');
    if (!inspect.State.Running) {
      throw new EngineError('not-running', `Container ${name} is not running. Start it to open a terminal.`);
    }
    const candidates = options.shell ? [options.shell] : SHELL_CANDIDATES;
    const failures: string[] = [];
    for (const shell of candidates) {
      const command = options.command ?? shell;
      const started = await this.tryShell(container, name, shell, size, options);
      if ('session' in started) return started.session;
      // Only a missing shell moves on to the next candidate; a wrong user or directory is the same for all.
      if (started.failure.kind !== 'missing-command' || started.failure.path !== shell || options.shell) {
        throw execFailureError(started.failure, name, command);
      }
      failures.push(`${shell}: not found`);
    }
    throw new EngineError(
      'no-shell',
      `Container ${name} has no shell to open: neither /bin/bash nor /bin/sh could be started (${failures.join('; ')}).`,
    );
  }

  private async tryShell(
    container: Dockerode.Container,
    name: string,
    shell: string,
    size: TerminalSize,
    options: ShellOptions,
  ): Promise<{ session: TerminalSession } | { failure: ReturnType<typeof classifyExecFailure> }> {
    let exec: Dockerode.Exec;
    let socket: Duplex;
    const command = options.command ?? shell;
    try {
      exec = await container.exec({
        Cmd: shellWrapperCommand(shell, command, options.startIn),
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Tty: true,
        Env: ['TERM=xterm-256color', ...(options.env ?? [])],
        ...(options.user ? { User: options.user } : {}),
        ...(options.workdir ? { WorkingDir: options.workdir } : {}),
      });
      socket = await exec.start({ hijack: true, stdin: true, Tty: true });
    } catch (error) {
      const engineError = toEngineError(error, `start ${shell} in ${name}`);
      if (engineError.code === 'conflict' && /not running/i.test(engineError.message)) {
        throw execFailureError({ kind: 'container-stopped' }, name, command);
      }
      if (engineError.code === 'not-found') {
        throw new EngineError('not-running', `Container ${name} went away while the terminal was opening.`);
      }
      throw engineError;
    }
    const output = new TerminalOutputReader(socket);
    // The wrapper's PID line first; a TTY turns "\n" into "\r\n".
    const firstOutput = await output.readLine();
    const pid = firstOutput.endsWith('\n') ? parsePidLine(firstOutput.slice(0, -1)) : null;
    if (pid === null) {
      socket.destroy();
      const said = firstOutput + (await output.take()).toString('utf8'); // the engine's message may run on past one line
      const exitCode = await exec.inspect().then(
        (info) => info.ExitCode,
        () => null,
      );
      return { failure: classifyExecFailure(said, exitCode, shell) };
    }
    const session = this.createSession(container, exec, socket, output, { shell, command, pid });
    await session.resize(size).catch(() => undefined);
    return { session };
  }

  private createSession(
    container: Dockerode.Container,
    exec: Dockerode.Exec,
    socket: Duplex,
    output: TerminalOutputReader,
    started: { shell: string; command: string; pid: number },
  ): TerminalSession {
    const id = randomUUID();
    let closing: Promise<void> | undefined;
    let resolveExited: (code: number | null) => void = () => undefined;
    const exited = new Promise<number | null>((resolve) => (resolveExited = resolve));
    const finish = async () => {
      this.sessions.delete(id);
      const code = closing
        ? null
        : await exec.inspect().then(
            (info) => info.ExitCode ?? null,
            () => null,
          );
      resolveExited(code);
    };
    socket.on('close', () => void finish());
    socket.on('error', () => undefined); // surfaced as the end of output

    const hangUp = async () => {
      try {
        await this.signalInContainer(container, started.shell, `kill -HUP ${started.pid}`);
        const deadline = Date.now() + HANGUP_GRACE_MS;
        while (Date.now() < deadline) {
          if (!(await exec.inspect()).Running) return;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await this.signalInContainer(container, started.shell, `kill -KILL -${started.pid} ${started.pid}`);
      } catch {
        // The container is gone or stopped: so is the shell.
      } finally {
        socket.destroy();
      }
    };

    const session: TerminalSession = {
      id,
      containerId: container.id,
      shell: started.shell,
      command: started.command,
      pid: started.pid,
      output,
      exited,
      write(data) {
        if (!socket.destroyed) socket.write(data);
      },
      async resize(size) {
        if (size.cols < 1 || size.rows < 1) return; // a hidden terminal reports 0x0: never send it
        await exec.resize({ w: size.cols, h: size.rows });
      },
      close() {
        closing ??= hangUp();
        return closing;
      },
    };
    this.sessions.set(id, session);
    return session;
  }

  /** Runs a one-shot command (the shell's own kill builtin) and waits for it to finish. */
  private async signalInContainer(container: Dockerode.Container, shell: string, command: string): Promise<void> {
    const exec = await container.exec({ Cmd: [shell, '-c', command], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    await new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', () => resolve());
      stream.resume();
    });
  }

  /** Closes every open session; used when the app shuts down. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((session) => session.close()));
  }
}
