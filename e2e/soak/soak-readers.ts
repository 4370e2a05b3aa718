/**
 * The soak's API clients: followed logs, each read as it comes (spread over a few connections, as a
 * few pages would hold them), and terminals, shells opened through Berth that are typed into now and
 * then and must answer each command.
 */
import { TextDecoder } from 'node:util';
import type { Subscription } from '../../app/contract/client.js';
import { connectApi, type ApiConnection } from './api-connection.js';

const LOGS_PER_CONNECTION = 10;

export interface LogFollowers {
  lines(): number;
  /** Followed logs that got no line since `sinceMs` (Date.now() time). */
  stalledSince(sinceMs: number): number;
  /** Streams that ended or failed before they were closed. */
  ended(): string[];
  close(): Promise<void>;
}

export async function followLogs(port: number, token: string, containers: readonly string[]): Promise<LogFollowers> {
  const connections: ApiConnection[] = [];
  const subscriptions: Subscription[] = [];
  const lastLineAt = new Map<string, number>();
  const ended: string[] = [];
  let lines = 0;
  let closing = false;
  for (let i = 0; i < containers.length; i += 1) {
    if (i % LOGS_PER_CONNECTION === 0) connections.push(await connectApi(port, token));
    const name = containers[i]!;
    lastLineAt.set(name, 0);
    const { api } = connections.at(-1)!;
    subscriptions.push(
      api.containers.logs(
        { id: name, tail: 10, since: null, follow: true },
        {
          next(batch) {
            lines += batch.texts.length;
            lastLineAt.set(name, Date.now());
          },
          error: (error) => void (closing || ended.push(`${name}: ${error.message}`)),
          complete: () => void (closing || ended.push(`${name}: ended`)),
        },
      ),
    );
  }
  return {
    lines: () => lines,
    stalledSince: (sinceMs) => [...lastLineAt.values()].filter((at) => at < sinceMs).length,
    ended: () => ended,
    async close() {
      closing = true;
      for (const subscription of subscriptions) subscription.dispose();
      await Promise.all(connections.map((connection) => connection.close()));
    },
  };
}

export interface Terminals {
  /** Types one command into each terminal; its answer is looked for in the output. */
  typeInEach(): Promise<void>;
  echoes(): { sent: number; seen: number };
  /** Resolves once every command typed so far was answered, or after `timeoutMs`. */
  answered(timeoutMs: number): Promise<void>;
  /** Closes each session through Berth (the shell hung up), then the connection. */
  close(): Promise<void>;
}

interface OpenTerminal {
  sessionId: string;
  attach: Subscription;
  /** The output's last few KiB, where answers are looked for. */
  recent: string;
  awaited: string[];
}

export async function openTerminals(port: number, token: string, containers: readonly string[]): Promise<Terminals> {
  const connection = await connectApi(port, token);
  const { api } = connection;
  const terminals: OpenTerminal[] = [];
  let sent = 0;
  let seen = 0;
  let count = 0;
  for (const name of containers) {
    const session = await api.terminal.open({ containerId: name, mode: 'shell', shell: '/bin/sh', cols: 120, rows: 30 });
    const decoder = new TextDecoder();
    const terminal: OpenTerminal = { sessionId: session.id, attach: { dispose: () => undefined }, recent: '', awaited: [] };
    terminal.attach = api.terminal.attach(
      { sessionId: session.id },
      {
        next(frame) {
          if (frame.kind === 'ended') return;
          terminal.recent = (terminal.recent + decoder.decode(frame.data, { stream: true })).slice(-4096);
          terminal.awaited = terminal.awaited.filter((answer) => {
            if (!terminal.recent.includes(answer)) return true;
            seen += 1;
            return false;
          });
        },
      },
    );
    terminals.push(terminal);
  }
  return {
    async typeInEach() {
      for (const terminal of terminals) {
        count += 1;
        // The shell prints "soak-N-done"; the typed line (echoed back by the TTY) reads "soak-$((N))-done".
        terminal.awaited.push(`soak-${count}-done`);
        sent += 1;
        await api.terminal.input({ sessionId: terminal.sessionId, data: `echo soak-$((${count}))-done\r` });
      }
    },
    echoes: () => ({ sent, seen }),
    async answered(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (seen < sent && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    },
    async close() {
      for (const terminal of terminals) {
        terminal.attach.dispose();
        await api.terminal.close({ sessionId: terminal.sessionId });
      }
      await connection.close();
    },
  };
}
