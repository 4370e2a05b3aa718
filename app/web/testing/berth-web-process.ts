/**
 * A real Berth in browser mode as its own process (from source, one Node process, so its RSS is the
 * server's), over a given engine, and a raw WebSocket client for it that can misbehave as a hostile
 * or broken page would: stop reading, flood acks, send whatever it likes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { readBerthUrl } from '../../launcher/testing/berth-url.js';
import type { ServerMessage } from '../../contract/wire.js';
import { decodeServerMessage } from '../../contract/wire-codec.js';
import { LAST_RESORT_MARK } from '../../launcher/last-resort-guard.js';
import { WEBSOCKET_PATH } from '../web-server.js';

const repoRoot = join(import.meta.dirname, '../../..');

export interface BerthWebProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly token: string;
  /** Everything the process wrote to stderr so far (its log). */
  stderr(): string;
  /** The lines its last-resort guard logged: each one something that escaped every handler. */
  lastResortLines(): string[];
  /** Why the process is no longer running (with its log's tail), or null while it runs. */
  exitReport(): string | null;
  rssMiB(): number;
  stop(): Promise<void>;
}

/** `env` is added to this process's environment (a private state folder, for example). */
export async function startBerthWebProcess(dockerHost: string, env: NodeJS.ProcessEnv = {}): Promise<BerthWebProcess> {
  // The log goes to a file, as it would in use, not a pipe: a pipe's writes are synchronous on Linux,
  // so a test busy elsewhere that read it late would stall the server it measures.
  const logDir = mkdtempSync(join(tmpdir(), 'berth-web-log-'));
  const logFile = join(logDir, 'stderr.log');
  const logFd = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/launcher/main.ts', '--web', '--engine', dockerHost], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', logFd],
  });
  closeSync(logFd);
  let finalLog: string | null = null;
  child.once('exit', () => {
    finalLog = readFileSync(logFile, 'utf8');
    rmSync(logDir, { recursive: true, force: true });
  });
  const url = new URL(await readBerthUrl(child));
  const stderr = () => finalLog ?? readFileSync(logFile, 'utf8');
  return {
    child,
    port: Number(url.port),
    token: new URLSearchParams(url.hash.slice(1)).get('token')!,
    stderr,
    lastResortLines: () =>
      stderr()
        .split('\n')
        .filter((line) => line.startsWith(LAST_RESORT_MARK)),
    exitReport: () =>
      child.exitCode === null && child.signalCode === null
        ? null
        : `Berth exited (${child.exitCode ?? child.signalCode}); its log:\n${stderr().slice(-2_000)}`,
    rssMiB() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

export interface RawApiClient {
  readonly ws: WebSocket;
  /** Every message received, in order (when reading). */
  readonly received: ServerMessage[];
  send(message: unknown): void;
  call(method: string, args: unknown): Promise<ServerMessage>;
  /** The first message from now on that matches, or null when none came within `timeoutMs`. */
  waitFor(matches: (message: ServerMessage) => boolean, timeoutMs: number): Promise<ServerMessage | null>;
  close(): void;
}

let nextId = 1;

/** A WebSocket with the token and our Origin, as the Berth page itself connects. */
export async function connectRawClient(
  berth: Pick<BerthWebProcess, 'port' | 'token'>,
  { keepReceived = true }: { keepReceived?: boolean } = {},
): Promise<RawApiClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${berth.port}${WEBSOCKET_PATH}`, {
    headers: { Authorization: `Bearer ${berth.token}`, Origin: `http://127.0.0.1:${berth.port}` },
  });
  const received: ServerMessage[] = [];
  const waiting = new Map<number, (message: ServerMessage) => void>();
  const watchers = new Set<(message: ServerMessage) => void>();
  ws.on('message', (data, isBinary) => {
    const bytes = Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data as Buffer)]);
    const message = decodeServerMessage(isBinary ? bytes : bytes.toString('utf8'));
    if (keepReceived) received.push(message);
    for (const watcher of watchers) watcher(message);
    if (message.t === 'result' || message.t === 'error') {
      waiting.get(message.id)?.(message);
      waiting.delete(message.id);
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const send = (message: unknown) => ws.send(JSON.stringify(message));
  return {
    ws,
    received,
    send,
    call(method, args) {
      const id = nextId++;
      const answered = new Promise<ServerMessage>((resolve) => waiting.set(id, resolve));
      send({ t: 'call', id, method, args });
      return answered;
    },
    waitFor(matches, timeoutMs) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => finish(null), timeoutMs);
        const watcher = (message: ServerMessage) => matches(message) && finish(message);
        function finish(message: ServerMessage | null) {
          clearTimeout(timer);
          watchers.delete(watcher);
          resolve(message);
        }
        watchers.add(watcher);
      });
    },
    close: () => ws.terminate(),
  };
}
