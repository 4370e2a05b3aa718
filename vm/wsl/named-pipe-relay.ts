/**
 * `\\.\pipe\berth-engine` on Windows: each connection is carried over mutual TLS to the engine's port on
 * 127.0.0.1 (WSL 2 forwards localhost to the distribution) with this installation's client
 * certificate, so tools that speak `npipe://` (the docker CLI, compose, IDE plugins) talk plain HTTP
 * to Berth's engine, as they do to Docker Desktop's `\\.\pipe\docker_engine`. The TLS half is
 * vm/host's HostSocketProxy, which Node's `net` lets listen on a pipe as on a unix socket: on Linux
 * the same code listens on a socket path, which is how it is tested here.
 *
 * Who may connect: Node creates the pipe with Windows' default security, under which other users get
 * read access only and cannot open it for writing. That is narrower than Docker Desktop's pipe (open to
 * the docker-users group) and is to be checked on Windows (vm/README.md).
 */
import { HostSocketProxy, type EngineTlsTarget } from '../host/host-socket.js';
import { VmError } from '../vm-error.js';

export const ENGINE_PIPE_PATH = '\\\\.\\pipe\\berth-engine';

export interface EngineRelayOptions {
  /** ENGINE_PIPE_PATH on Windows; a unix socket path in tests. */
  path: string;
  /** Where a new connection goes; null while the engine is down (the client is then closed at once). */
  target: () => EngineTlsTarget | null;
}

export async function listenEngineRelay(options: EngineRelayOptions): Promise<HostSocketProxy> {
  try {
    return await HostSocketProxy.listen({ socketPath: options.path, target: options.target });
  } catch (error) {
    throw relayListenError(error, options.path);
  }
}

/** A pipe that already exists belongs to another program: Node creates pipes as their first instance only. */
export function relayListenError(error: unknown, pipePath: string): VmError {
  const message = error instanceof Error ? error.message : String(error);
  if (/EADDRINUSE|EACCES/.test(message)) {
    return new VmError(
      `Another program already serves ${pipePath} (another Berth, or one started by a different Windows user). Quit it and start again.`,
      { cause: error },
    );
  }
  return new VmError(`Berth could not open ${pipePath} for docker tools: ${message}`, { cause: error });
}
