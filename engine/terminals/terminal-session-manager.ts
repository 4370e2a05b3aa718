/**
 * Terminal sessions owned by the app, not by a view: each has an id, keeps running while no renderer
 * watches it, and keeps a bounded ring buffer of its output, so a renderer that (re)attaches gets the
 * scrollback first and then live output. A session ends when its shell does, when its container
 * stops or restarts, when the engine goes away (each said in a sentence), or when it is closed
 * (which ends the shell for real). Ended sessions stay listed, so their tab can say why and offer
 * Reconnect, until the tab is closed.
 *
 * Flow control: the pump reads the source only while every attached renderer has less than
 * HIGH_WATERMARK bytes waiting; a slow renderer pauses the exec stream (and the program), it never
 * grows a buffer without bound. Waiting output is cut into frames by TerminalOutputQueue (bigger
 * frames, less often, while a program streams; at once for typing).
 */
import { randomUUID } from 'node:crypto';
import type { EngineConnection } from '../core/index.js';
import { EngineError, toEngineError } from '../core/index.js';
import { attachToMainProcess } from './terminal-attach.js';
import { startCopyOf, startHelperFor, type DebugTarget } from './debug-shell.js';
import { MAX_FRAME, StreamingMeter, TerminalOutputQueue } from './terminal-output-queue.js';
import { TerminalRingBuffer } from './terminal-ring-buffer.js';
import { ShellExecService } from './shell-exec.js';
import type { ShellOptions, TerminalSize, TerminalSource } from './terminal-types.js';

export const RING_CAPACITY = 512 * 1024;
/** Room for a frame being gathered and the next: the program keeps running while a frame is in flight. */
export const HIGH_WATERMARK = 2 * MAX_FRAME;
/** While a program streams in small pieces, its output is pulled from the source at most this often. */
const READ_PACE_MS = 10;
/** A pull at least this big: the source delivers big pieces by itself, pull again at once. */
const PACED_PULL_BYTES = 16 * 1024;
/** A running session nobody has watched for this long is closed, so a closed browser leaves no shells. */
export const DETACHED_TTL_MS = 15 * 60_000;
const DEBUG_SHELL_DEADLINE_MS = 10_000;
/** How long to watch the container settle after a shell was killed, to say why. */
const SETTLE_MS = 3_000;

export type TerminalMode = 'shell' | 'attach' | 'debug';

export interface TerminalRequest extends ShellOptions {
  containerId: string;
  mode: TerminalMode;
}

export interface TerminalSessionInfo {
  id: string;
  containerId: string;
  containerName: string;
  mode: TerminalMode;
  /** "web: /bin/sh" */
  title: string;
  command: string;
  state: 'running' | 'ended';
  /** Why it ended, in a sentence; null while running. */
  endReason: string | null;
  /** What kind of debug shell this is, or how to detach; null when there is nothing to say. */
  note: string | null;
  /** The request that opened it, for Reconnect. */
  request: TerminalRequest;
}

export type TerminalFrame =
  | { kind: 'snapshot'; session: TerminalSessionInfo; data: Uint8Array }
  | { kind: 'output'; data: Uint8Array }
  | { kind: 'ended'; session: TerminalSessionInfo };

interface Entry {
  info: TerminalSessionInfo;
  source: TerminalSource;
  ring: TerminalRingBuffer;
  listeners: Set<TerminalOutputQueue>;
  startedAt: string;
  closing: boolean;
  /** Resolves the pump's wait for listeners to drain. */
  drained?: () => void;
  cleanup?: () => Promise<void>;
  idleTimer?: NodeJS.Timeout;
  done: Promise<void>;
}

export class TerminalSessionManager {
  private readonly entries = new Map<string, Entry>();

  /** The shell execs behind the 'shell' and 'debug' sessions; owned here, so closing everything closes them too. */
  readonly shells: ShellExecService;

  constructor(
    private readonly connection: EngineConnection,
    private readonly options: { ringCapacity?: number; detachedTtlMs?: number } = {},
  ) {
    this.shells = new ShellExecService(connection);
  }

  list(): TerminalSessionInfo[] {
    return [...this.entries.values()].map((entry) => ({ ...entry.info }));
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Sessions still running (not ended), for tests and shutdown. */
  get runningCount(): number {
    return [...this.entries.values()].filter((entry) => entry.info.state === 'running').length;
  }

  async open(request: TerminalRequest, size: TerminalSize): Promise<TerminalSessionInfo> {
    if (request.mode === 'attach') {
      const attached = await attachToMainProcess(this.connection, request.containerId, size);
      return this.adopt(request, attached.source, {
        containerName: attached.containerName,
        command: attached.command,
        note: 'Attached to the main process. Ctrl-P Ctrl-Q (or closing the tab) detaches; the container keeps running.',
      });
    }
    if (request.mode === 'debug') return this.openDebug(request, size);
    const session = await this.shells.open(request.containerId, size, request);
    return this.adopt(request, session, { containerName: await this.nameOf(request.containerId), command: session.command });
  }

  write(id: string, data: string): void {
    const entry = this.require(id);
    if (entry.info.state === 'running') entry.source.write(data);
  }

  async resize(id: string, size: TerminalSize): Promise<void> {
    const entry = this.require(id);
    // A hidden or collapsed terminal measures 0x0: never send that to the engine.
    if (!(size.cols >= 1 && size.rows >= 1) || entry.info.state !== 'running') return;
    await entry.source.resize(size);
  }

  /** Ends the session for real (hang-up, detach, or helper removal) and forgets it. */
  async close(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.closing = true;
    entry.drained?.();
    if (entry.info.state === 'running') await entry.source.close();
    await entry.done;
    this.forget(entry);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((id) => this.close(id)));
    await this.shells.closeAll();
  }

  /** The scrollback, then live output, then the end. Disposing (the signal) detaches; the session lives on. */
  async *attach(id: string, signal: AbortSignal): AsyncGenerator<TerminalFrame> {
    const entry = this.require(id);
    const listener = new TerminalOutputQueue();
    // Snapshot and registration in the same tick: nothing printed in between is lost or doubled.
    const snapshot = entry.ring.snapshot();
    entry.listeners.add(listener);
    clearTimeout(entry.idleTimer);
    const onAbort = () => listener.notify();
    signal.addEventListener('abort', onAbort);
    const stop = () => signal.aborted || entry.info.state === 'ended';
    try {
      yield { kind: 'snapshot', session: { ...entry.info }, data: snapshot };
      for (;;) {
        if (signal.aborted) return;
        if (listener.size > 0) {
          const data = await listener.takeFrame(stop);
          if (signal.aborted) return;
          if (listener.size < HIGH_WATERMARK / 2) entry.drained?.();
          yield { kind: 'output', data };
          continue;
        }
        if (entry.info.state === 'ended') {
          yield { kind: 'ended', session: { ...entry.info } };
          return;
        }
        await listener.waitForOutput();
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      entry.listeners.delete(listener);
      entry.drained?.();
      if (entry.listeners.size === 0 && this.entries.get(id) === entry) this.armIdleTimer(entry);
    }
  }

  private require(id: string): Entry {
    const entry = this.entries.get(id);
    if (!entry) throw new EngineError('not-found', 'This terminal session has ended. Open a new terminal.');
    return entry;
  }

  private async nameOf(containerId: string): Promise<string> {
    const inspect = await this.connection.docker
      .getContainer(containerId)
      .inspect()
      .catch(() => null);
    return inspect?.Name.replace(/^\//, '') ?? containerId;
  }

  private async openDebug(request: TerminalRequest, size: TerminalSize): Promise<TerminalSessionInfo> {
    this.connection.assertConnected();
    const target = await this.connection.docker
      .getContainer(request.containerId)
      .inspect()
      .catch((error: unknown) => {
        throw toEngineError(error, `open a debug shell in ${request.containerId}`);
      });
    const name = target.Name.replace(/^\//, '');
    const debug: DebugTarget = target.State.Running
      ? await startHelperFor(this.connection, target)
      : await startCopyOf(this.connection, target);
    try {
      const session = await this.openWhenReady(debug, size);
      return this.adopt(request, session, { containerName: name, command: `debug ${session.command}`, note: debug.note }, () =>
        debug.cleanup(),
      );
    } catch (error) {
      await debug.cleanup();
      throw error;
    }
  }

  /** The helper installs its busybox applets as it starts: retry a missing shell until then. */
  private async openWhenReady(debug: DebugTarget, size: TerminalSize) {
    const deadline = Date.now() + DEBUG_SHELL_DEADLINE_MS;
    for (;;) {
      try {
        return await this.shells.open(debug.containerId, size, {
          shell: debug.shell,
          workdir: debug.workdir,
          startIn: debug.startIn,
          env: debug.env,
        });
      } catch (error) {
        const retry = error instanceof EngineError && error.code === 'invalid-argument' && Date.now() < deadline;
        if (!retry) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  private async adopt(
    request: TerminalRequest,
    source: TerminalSource,
    details: { containerName: string; command: string; note?: string },
    cleanup?: () => Promise<void>,
  ): Promise<TerminalSessionInfo> {
    const startedAt = await this.connection.docker
      .getContainer(request.containerId)
      .inspect()
      .then(
        (inspect) => inspect.State.StartedAt,
        () => '',
      );
    const info: TerminalSessionInfo = {
      id: randomUUID(),
      containerId: request.containerId,
      containerName: details.containerName,
      mode: request.mode,
      title: `${details.containerName}: ${request.mode === 'attach' ? 'attached' : details.command}`,
      command: details.command,
      state: 'running',
      endReason: null,
      note: details.note ?? null,
      request,
    };
    const entry: Entry = {
      info,
      source,
      ring: new TerminalRingBuffer(this.options.ringCapacity ?? RING_CAPACITY),
      listeners: new Set(),
      startedAt,
      closing: false,
      cleanup,
      done: Promise.resolve(),
    };
    this.entries.set(info.id, entry);
    entry.done = this.pump(entry);
    this.armIdleTimer(entry);
    return { ...info };
  }

  private async pump(entry: Entry): Promise<void> {
    const read = new StreamingMeter();
    for await (const output of entry.source.output) {
      entry.ring.append(output);
      for (const listener of entry.listeners) listener.push(output);
      // Backpressure: stop reading the exec stream while a renderer lags behind.
      while (!entry.closing && lagging(entry.listeners)) {
        await new Promise<void>((resolve) => (entry.drained = resolve));
        entry.drained = undefined;
      }
      // While a program streams in small pieces, pull less often: what it writes meanwhile gathers in
      // the socket (TerminalOutputReader reads on demand) and comes as one piece, so this loop runs a
      // hundred times a second, not once per write. Big pulls mean the pieces are big already.
      read.add(output.length);
      if (read.streaming && output.length < PACED_PULL_BYTES && !entry.closing) {
        await new Promise((resolve) => setTimeout(resolve, READ_PACE_MS));
      }
    }
    const exitCode = await entry.source.exited;
    entry.info.endReason = await this.describeEnd(entry, exitCode);
    entry.info.state = 'ended';
    await entry.cleanup?.();
    for (const listener of entry.listeners) listener.notify();
  }

  private async describeEnd(entry: Entry, exitCode: number | null): Promise<string> {
    const { containerName: name, mode } = entry.info;
    if (entry.closing) return mode === 'attach' ? 'Detached.' : 'Closed.';
    // A shell killed by a signal (or cut off) usually means the container is stopping or restarting,
    // and the engine may not show it yet: look again for a moment before blaming the shell.
    const killed = exitCode === null || exitCode > 128;
    // An attach always ends without a code (a detach looks the same): a short look is enough there.
    const deadline = Date.now() + (mode === 'attach' ? SETTLE_MS / 6 : killed ? SETTLE_MS : 0);
    for (;;) {
      const inspect = await this.connection.docker
        .getContainer(entry.info.containerId)
        .inspect()
        .catch((error: unknown) => toEngineError(error, `look at ${name}`));
      if (inspect instanceof EngineError) {
        if (inspect.code === 'not-found') return `Container ${name} was removed: this session ended.`;
        return 'The engine stopped: this session ended. Open a new terminal once it runs again.';
      }
      if (inspect.State.Running && inspect.State.StartedAt !== entry.startedAt) {
        return `Container ${name} restarted: this session ended.`;
      }
      if (!inspect.State.Running || inspect.State.Restarting) {
        return `Container ${name} stopped: this session ended.`;
      }
      if (Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (mode === 'attach') return `Detached from ${name}; the container keeps running.`;
    if (exitCode === null || exitCode === 0) return 'The shell exited.';
    return exitCode > 128 ? `The shell was killed (signal ${exitCode - 128}).` : `The shell exited with code ${exitCode}.`;
  }

  private armIdleTimer(entry: Entry): void {
    clearTimeout(entry.idleTimer);
    entry.idleTimer = setTimeout(() => void this.close(entry.info.id), this.options.detachedTtlMs ?? DETACHED_TTL_MS);
    entry.idleTimer.unref();
  }

  private forget(entry: Entry): void {
    clearTimeout(entry.idleTimer);
    if (this.entries.get(entry.info.id) === entry) this.entries.delete(entry.info.id);
  }
}

function lagging(listeners: Set<TerminalOutputQueue>): boolean {
  for (const listener of listeners) if (listener.size >= HIGH_WATERMARK) return true;
  return false;
}
