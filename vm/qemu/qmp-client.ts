// A minimal QMP (QEMU Machine Protocol) client over QEMU's unix socket: line-delimited JSON,
// commands answered in order, asynchronous events interleaved.
import net from 'node:net';
import { LineSplitter } from '../../base/index.js';

export interface QmpEvent {
  event: string;
  data?: unknown;
}

interface PendingCommand {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

type QmpMessage =
  | { QMP: unknown }
  | { return: unknown; id?: number }
  | { error: { class: string; desc: string }; id?: number }
  | ({ event: string } & QmpEvent);

export class QmpClient {
  private readonly pending = new Map<number, PendingCommand>();
  private readonly eventListeners = new Set<(event: QmpEvent) => void>();
  private nextId = 1;
  private readonly lines = new LineSplitter();
  private closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('close', () => this.onClose());
    socket.on('error', () => this.onClose());
  }

  /** Connects (retrying while QEMU creates the socket) and leaves capabilities negotiation mode. */
  static async connect(socketPath: string, timeoutMs: number): Promise<QmpClient> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await connectOnce(socketPath);
        const client = new QmpClient(socket);
        await client.execute('qmp_capabilities');
        return client;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`QMP connect to ${socketPath} failed: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error(`QMP closed before ${command}`));
    const id = this.nextId++;
    const message = JSON.stringify(args ? { execute: command, arguments: args, id } : { execute: command, id });
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.write(`${message}\n`);
    });
  }

  /**
   * Runs a monitor (HMP) command such as `hostfwd_add`, which has no QMP equivalent. HMP reports
   * failures as text in the return value, not as a QMP error, so the caller must read it.
   */
  async humanMonitorCommand(commandLine: string): Promise<string> {
    const output = await this.execute('human-monitor-command', { 'command-line': commandLine });
    return typeof output === 'string' ? output : '';
  }

  /** Calls listener for every event; returns the unsubscribe function. */
  onEvent(listener: (event: QmpEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: string): void {
    for (const line of this.lines.push(chunk)) this.onMessage(JSON.parse(line) as QmpMessage);
  }

  private onMessage(message: QmpMessage): void {
    if ('event' in message) {
      for (const listener of this.eventListeners) listener(message);
      return;
    }
    if (!('id' in message) || message.id === undefined) return; // the greeting
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if ('error' in message) pending.reject(new Error(`QMP ${message.error.class}: ${message.error.desc}`));
    else if ('return' in message) pending.resolve(message.return);
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.pending.values()) pending.reject(new Error('QMP connection closed'));
    this.pending.clear();
  }
}

function connectOnce(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}
