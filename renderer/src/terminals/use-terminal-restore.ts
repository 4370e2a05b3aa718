/** After a reload, gives the page back the terminal tabs whose sessions the app still holds. */
import { useEffect } from 'react';
import { useApi } from '../api/api-context';
import { useTerminalStore } from './terminal-store';

export function useTerminalRestore(): void {
  const api = useApi();
  const restore = useTerminalStore((state) => state.restoreTerminalTabs);
  useEffect(() => {
    let active = true;
    api.terminal.list({}).then(
      (sessions) => {
        if (active) restore(sessions);
      },
      () => undefined, // no engine yet: there are no sessions to restore either
    );
    return () => {
      active = false;
    };
  }, [api, restore]);
}
