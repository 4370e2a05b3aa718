/**
 * The LogFollower of one log view: started with the view, disposed with it, resumed when the container
 * runs again and when the engine is back after it went away mid-follow.
 */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { BerthClient } from '../../../../app/contract/client';
import { useEngineState } from '../machine/use-engine-state';
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
  const engineConnected = useEngineState()?.kind === 'connected';
  useEffect(() => {
    if (engineConnected) follower.resumeAfterEngineLoss();
  }, [follower, engineConnected]);
  const snapshot = useSyncExternalStore(follower.subscribe, follower.getSnapshot);
  return { follower, snapshot };
}
