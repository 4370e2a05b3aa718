/** The LogFollower of one log view: started with the view, disposed with it, resumed when the container runs again. */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { BerthClient } from '../../../../app/contract/client';
import { LogFollower, type LogSnapshot } from './log-follower';

export function useLogStream(
  api: BerthClient,
  id: string,
  since: number | null,
  running: boolean,
): { follower: LogFollower; snapshot: LogSnapshot } {
  // A new "since" is a new log: a new follower (its constructor does nothing until started).
  const follower = useMemo(() => new LogFollower(api, id, since), [api, id, since]);
  useEffect(() => {
    follower.start();
    return () => follower.dispose();
  }, [follower]);
  useEffect(() => {
    if (running) follower.resumeIfEnded();
  }, [follower, running]);
  const snapshot = useSyncExternalStore(follower.subscribe, follower.getSnapshot);
  return { follower, snapshot };
}
