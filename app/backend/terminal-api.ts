/** The terminal part of the contract's implementation, over the TerminalService. */
import { EngineError } from '../../engine/errors.js';
import type { TerminalService } from '../../engine/terminal-service.js';
import type { TerminalItem } from '../contract/contract.js';
import type { BerthImplementation } from './berth-api.js';

export function createTerminalImplementation(terminals: TerminalService): BerthImplementation['terminal'] {
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
    input: async ({ sessionId, data }) => {
      terminalOf(sessionId).write(data);
      return null;
    },
    resize: async ({ sessionId, cols, rows }) => {
      await terminalOf(sessionId).resize({ cols, rows });
      return null;
    },
  };

  function terminalOf(sessionId: string) {
    const session = terminals.get(sessionId);
    if (!session) throw new EngineError('not-found', 'This terminal session has ended. Open a new terminal.');
    return session;
  }
}
