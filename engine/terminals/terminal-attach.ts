/**
 * Attaching to a container's main process TTY (`docker attach`), as opposed to a new shell. Leaving
 * is a detach (the engine's key sequence), never a kill: the container keeps running.
 */
import type { Duplex } from 'node:stream';
import { TerminalOutputReader } from './terminal-output.js';
import type { EngineConnection } from '../core/index.js';
import { EngineError, toEngineError } from '../core/index.js';
import type { TerminalSize, TerminalSource } from './terminal-types.js';

/** The engine's detach sequence for Berth's attaches: Ctrl-P Ctrl-Q, as the docker CLI's default. */
export const DETACH_KEYS = 'ctrl-p,ctrl-q';
const DETACH_SEQUENCE = '\x10\x11';
const DETACH_GRACE_MS = 1_000;

export async function attachToMainProcess(
  connection: EngineConnection,
  containerId: string,
  size: TerminalSize,
): Promise<{ source: TerminalSource; containerName: string; command: string }> {
  connection.assertConnected();
  const container = connection.docker.getContainer(containerId);
  const inspect = await container.inspect().catch((error: unknown) => {
    throw toEngineError(error, `attach to ${containerId}`);
  });
  const name = inspect.Name.replace(/^\//, '');
  if (!inspect.State.Running) {
    throw new EngineError('not-running', `Container ${name} is not running. Start it to attach to it.`);
  }
  if (!inspect.Config.Tty || !inspect.Config.OpenStdin) {
    throw new EngineError(
      'invalid-argument',
      `Container ${name} was not started with a terminal (docker run -it): there is no TTY to attach to. Open a shell instead.`,
    );
  }
  let socket: Duplex;
  try {
    socket = (await container.attach({
      stream: true,
      stdin: true,
      stdout: true,
      stderr: true,
      hijack: true,
      detachKeys: DETACH_KEYS,
    })) as Duplex;
  } catch (error) {
    throw toEngineError(error, `attach to ${name}`);
  }
  socket.on('error', () => undefined); // surfaced as the end of output
  const exited = new Promise<number | null>((resolve) => socket.on('close', () => resolve(null)));

  const resize = async ({ cols, rows }: TerminalSize) => {
    if (cols < 1 || rows < 1) return;
    await container.resize({ w: cols, h: rows });
  };
  await resize(size).catch(() => undefined);
  let closing: Promise<void> | undefined;
  const source: TerminalSource = {
    output: new TerminalOutputReader(socket),
    exited,
    write(data) {
      if (!socket.destroyed) socket.write(data);
    },
    resize,
    close() {
      closing ??= (async () => {
        if (!socket.destroyed) socket.write(DETACH_SEQUENCE);
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, DETACH_GRACE_MS))]);
        socket.destroy();
      })();
      return closing;
    },
  };
  const command = (inspect.Path ? [inspect.Path, ...(inspect.Args ?? [])] : (inspect.Config.Cmd ?? [])).join(' ');
  return { source, containerName: name, command };
}
