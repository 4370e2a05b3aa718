/**
 * The app part of the contract's implementation. The shell knows its doors only once they are open
 * (the browser-mode link exists after the server listens), so it hands a function that reads them then.
 */
import { EngineError } from '../../engine/core/index.js';
import type { AppInfo } from '../contract/app-contract.js';
import type { BerthImplementation } from './implementation.js';

export interface AppShell {
  info(): AppInfo;
  /** Ends the process after answering; the shell releases the engine first. */
  quit(): void;
}

export function createAppImplementation(shell: AppShell | null): BerthImplementation['app'] {
  const requireShell = (): AppShell => {
    if (shell) return shell;
    throw new EngineError(
      'invalid-argument',
      'This Berth was built without a shell (a test double): it has no doors and cannot quit.',
    );
  };
  return {
    info: async () => requireShell().info(),
    quit: async () => {
      const target = requireShell();
      // After the answer is on its way: the caller hears "ok" before its connection goes.
      setTimeout(() => target.quit(), 50);
      return null;
    },
  };
}
