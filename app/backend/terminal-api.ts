/** The terminal part of the contract's implementation, over the engine's terminal session manager. */
import { EngineError } from '../../engine/core/index.js';
import type { TerminalSessionManager } from '../../engine/terminals/index.js';
import type { BerthImplementation } from './implementation.js';

export function createTerminalImplementation(sessions: TerminalSessionManager): BerthImplementation['terminal'] {
  const requireSession = (sessionId: string) => {
    if (!sessions.has(sessionId)) throw new EngineError('not-found', 'This terminal session has ended. Open a new terminal.');
  };

  return {
    open: ({ cols, rows, ...request }) => sessions.open(request, { cols, rows }),
    list: async () => sessions.list(),
    attach: ({ sessionId }, _peer, signal) => sessions.attach(sessionId, signal),
    close: async ({ sessionId }) => {
      requireSession(sessionId);
      await sessions.close(sessionId);
      return null;
    },
    input: async ({ sessionId, data }) => {
      requireSession(sessionId);
      sessions.write(sessionId, data);
      return null;
    },
    resize: async ({ sessionId, cols, rows }) => {
      requireSession(sessionId);
      await sessions.resize(sessionId, { cols, rows });
      return null;
    },
  };
}
