/** The terminal part of the contract's implementation, over the TerminalService and its session manager. */
import { EngineError } from '../../engine/errors.js';
import type { TerminalSessionManager } from '../../engine/terminal-session-manager.js';
import type { TerminalService } from '../../engine/terminal-service.js';
import type { TerminalItem } from '../contract/contract.js';
import type { BerthImplementation } from './berth-api.js';

export function createTerminalImplementation(terminals: TerminalService): BerthImplementation['terminal'] {
  // Read when called, not now: test doubles of the service may have no manager.
  const manager = (): TerminalSessionManager | undefined => (terminals as { manager?: TerminalSessionManager }).manager;
  const sessions = (): TerminalSessionManager => {
    const found = manager();
    if (!found) throw new EngineError('engine-error', 'Terminal sessions are not available.');
    return found;
  };

  return {
    session: async function* ({ containerId, cols, rows }, peer, signal): AsyncGenerator<TerminalItem> {
      const session = await terminals.open(containerId, { cols, rows });
      const owned = peer.resources.add({ dispose: () => void session.close() });
      const closeOnAbort = () => void session.close();
      signal.addEventListener('abort', closeOnAbort);
      try {
        yield { kind: 'opened', sessionId: session.id, shell: session.shell };
        for await (const data of session.output) yield { kind: 'output', data };
        yield { kind: 'exited', exitCode: await session.exited };
      } finally {
        signal.removeEventListener('abort', closeOnAbort);
        peer.resources.delete(owned);
        await session.close();
      }
    },
    open: ({ cols, rows, ...request }) => sessions().open(request, { cols, rows }),
    list: async () => sessions().list(),
    attach: ({ sessionId }, _peer, signal) => sessions().attach(sessionId, signal),
    close: async ({ sessionId }) => {
      if (!sessions().has(sessionId)) throw ended();
      await sessions().close(sessionId);
      return null;
    },
    input: async ({ sessionId, data }) => {
      if (manager()?.has(sessionId)) sessions().write(sessionId, data);
      else terminalOf(sessionId).write(data);
      return null;
    },
    resize: async ({ sessionId, cols, rows }) => {
      if (manager()?.has(sessionId)) await sessions().resize(sessionId, { cols, rows });
      else await terminalOf(sessionId).resize({ cols, rows });
      return null;
    },
  };

  function ended() {
    return new EngineError('not-found', 'This terminal session has ended. Open a new terminal.');
  }

  function terminalOf(sessionId: string) {
    const session = terminals.get(sessionId);
    if (!session) throw ended();
    return session;
  }
}
