/**
 * When the VM may rest: no engine request on any door for the idle time, no request still waiting for
 * its answer, and (asked only once that holds) no container running. Pure, so the timing is tested
 * with a fake clock; rest-controller.ts does what it says.
 */

/** The setting's range, in minutes: 0 turns resting off; a day at most. */
export const REST_AFTER_MINUTES_RANGE = { min: 0, max: 1440 } as const;
export const DEFAULT_REST_AFTER_MINUTES = 5;

/** Why a value cannot be the rest setting (naming the range), or null when it can. */
export function restAfterMinutesProblem(value: unknown): string | null {
  const { min, max } = REST_AFTER_MINUTES_RANGE;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return null;
  const got = typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  return `restAfterMinutes must be a whole number of minutes from ${min} (never rest) to ${max} (a day); got ${got}.`;
}

export interface RestInputs {
  now: number;
  /** How long without a request before the VM rests; 0 or less: never. */
  idleMs: number;
  /** When a door last moved a byte (either way), or the VM woke or booted. */
  lastActivityAt: number;
  /** Door connections whose last request has had no answer yet (a slow create, a pull before its first line). */
  waitingRequests: number;
}

export type RestPlan =
  | { kind: 'never' }
  /** Look again at `at` (the idle time counted from the last activity). */
  | { kind: 'wait'; at: number }
  /** Idle long enough: ask the engine and the guest whether anything runs, then rest if nothing does. */
  | { kind: 'ask' };

export function planRest(inputs: RestInputs): RestPlan {
  if (!(inputs.idleMs > 0)) return { kind: 'never' };
  // A request in progress counts as activity now: its answer may take longer than the idle time.
  if (inputs.waitingRequests > 0) return { kind: 'wait', at: inputs.now + inputs.idleMs };
  const due = inputs.lastActivityAt + inputs.idleMs;
  return inputs.now < due ? { kind: 'wait', at: due } : { kind: 'ask' };
}

/** What the engine and the guest said when asked. */
export interface RestAnswers {
  /** Containers the engine lists as running (also paused and restarting ones). */
  runningContainers: number;
  /** Container processes the guest sees (shims, runc/crun: a build's steps too); null when the guest could not say. */
  containerProcesses: number | null;
}

/** After asking: rest, or look again one idle time later (a running container never rests). */
export function restAfterAnswers(
  answers: RestAnswers,
  now: number,
  idleMs: number,
): { kind: 'rest' } | { kind: 'wait'; at: number } {
  if (answers.runningContainers > 0 || (answers.containerProcesses ?? 0) > 0) return { kind: 'wait', at: now + idleMs };
  return { kind: 'rest' };
}
