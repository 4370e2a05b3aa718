/** The ExplorerFollower of the Logs view: a new one for each scope and tail, disposed with the view. */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { BerthClient } from '../../../../app/contract/client';
import { ExplorerFollower, type ExplorerSnapshot } from './explorer-follower';

export function useExplorer(
  api: BerthClient,
  container: string | null,
  project: string | null,
  tail: number,
): { follower: ExplorerFollower; snapshot: ExplorerSnapshot } {
  const follower = useMemo(
    () => new ExplorerFollower(api, { ids: container === null ? null : [container], project }, tail),
    [api, container, project, tail],
  );
  useEffect(() => {
    follower.start();
    return () => follower.dispose();
  }, [follower]);
  const snapshot = useSyncExternalStore(follower.subscribe, follower.getSnapshot);
  return { follower, snapshot };
}
