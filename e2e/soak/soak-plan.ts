/**
 * What one soak run does, from its environment: how long the load lasts, how many containers, and the
 * windows its memory figure is read in. Pure, so a bad setting is refused before anything starts.
 */

export interface SoakPlan {
  /** How long the load runs (churn, logs, terminals, the page), in ms. */
  loadMs: number;
  /** Containers created up front, the followed and the terminals' ones included. */
  containers: number;
  followedLogs: number;
  terminals: number;
  /** Churn workers, each running one `docker` command at a time. */
  churnWorkers: number;
  /** Memory is compared from the end of the warm-up to the end of the load. */
  warmUpMs: number;
  /** The baseline is the median RSS of the window after warm-up; the end figure that of the last window. */
  rssWindowMs: number;
}

export class SoakSettingError extends Error {}

function readNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, integer: boolean): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new SoakSettingError(
      `${name}=${JSON.stringify(text)} is not valid: give ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}.`,
    );
  }
  return value;
}

export function soakPlanFrom(env: NodeJS.ProcessEnv): SoakPlan {
  const minutes = readNumber(env, 'BERTH_SOAK_MINUTES', 10, 1, 24 * 60, false);
  const followedLogs = 50;
  const terminals = 10;
  const containers = readNumber(env, 'BERTH_SOAK_CONTAINERS', 500, followedLogs + terminals, 5_000, true);
  const loadMs = minutes * 60_000;
  return {
    loadMs,
    containers,
    followedLogs,
    terminals,
    churnWorkers: 2,
    warmUpMs: Math.min(60_000, loadMs / 4),
    rssWindowMs: Math.min(30_000, loadMs / 6),
  };
}
