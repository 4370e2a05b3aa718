/**
 * The host's end of the guest's rest agent (vm/image/rest-agent.sh) over the virtio-serial port QEMU
 * serves on a unix socket: one line a request, one line an answer, one request at a time. Every call
 * has a timeout: a guest that does not answer must never hold up a rest or a wake for long.
 */
import net from 'node:net';
import type { Disposable } from '../../base/index.js';
import { LineSplitter } from '../../base/index.js';

const ANSWER_TIMEOUT_MS = 5_000;

export class GuestRestAgent implements Disposable {
  private readonly lines = new LineSplitter();
  private readonly answers: Array<(line: string | null) => void> = [];
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      for (const line of this.lines.push(chunk)) this.answers.shift()?.(line.trim());
    });
    socket.on('close', () => this.close());
    socket.on('error', () => this.close());
  }

  /** Connects to QEMU's socket for the port (QEMU listens from its start). */
  static connect(socketPath: string): Promise<GuestRestAgent> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(socketPath);
      socket.once('connect', () => resolve(new GuestRestAgent(socket)));
      socket.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Container processes the guest sees (shims, runc, crun). */
  async containerProcesses(): Promise<number> {
    const answer = await this.ask('busy');
    const match = /^busy (\d+)$/.exec(answer);
    if (!match) throw new Error(`The VM's rest agent answered "${answer}" to busy.`);
    return Number(match[1]);
  }

  /** The guest's MemFree: what it can give up without reclaiming anything. */
  async memFreeKiB(): Promise<number> {
    const answer = await this.ask('mem-free');
    const match = /^mem-free (\d+)$/.exec(answer);
    if (!match) throw new Error(`The VM's rest agent answered "${answer}" to mem-free.`);
    return Number(match[1]);
  }

  async dropCaches(timeoutMs = 30_000): Promise<void> {
    await this.expectOk('drop-caches', timeoutMs);
  }

  /** Sets the guest's clock to the host's (whole seconds: what busybox date takes). */
  async setClock(epochMs: number): Promise<void> {
    await this.expectOk(`set-time ${Math.round(epochMs / 1000)}`, ANSWER_TIMEOUT_MS);
  }

  dispose(): void {
    this.socket.destroy();
    this.close();
  }

  private async expectOk(request: string, timeoutMs: number): Promise<void> {
    const answer = await this.ask(request, timeoutMs);
    if (answer !== 'ok') throw new Error(`The VM's rest agent answered "${answer}" to ${request.split(' ')[0]}.`);
  }

  /** One request at a time: the agent answers in order, and a late answer must not be taken for the next. */
  private ask(request: string, timeoutMs = ANSWER_TIMEOUT_MS): Promise<string> {
    const asked = this.queue.then(() => this.askNow(request, timeoutMs));
    this.queue = asked.catch(() => undefined);
    return asked;
  }

  private askNow(request: string, timeoutMs: number): Promise<string> {
    if (this.closed) return Promise.reject(new Error("The VM's rest agent is not connected."));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`The VM's rest agent did not answer ${request.split(' ')[0]} within ${timeoutMs} ms.`));
        // The answer may still come: it must go to nobody. Closing is simplest and safe (the agent
        // reopens its port; the next rest connects again).
        this.dispose();
      }, timeoutMs);
      this.answers.push((line) => {
        clearTimeout(timer);
        if (line === null) reject(new Error("The VM's rest agent went away."));
        else resolve(line);
      });
      this.socket.write(`${request}\n`);
    });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const answer of this.answers.splice(0)) answer(null);
  }
}
