/**
 * The VM's lifecycle as an explicit state machine, in the manner of the engine connection: a state
 * union, a transition table, progress steps a person can follow, and failure details they can read
 * and copy (the step that failed, the tail of the VM console, QEMU's exit status). Pure: a provider
 * (QEMU, WSL2) feeds it inputs and names the steps its starts go through.
 */
/** Every step any provider's start goes through; each provider follows its own sequence of them. */
export const VM_START_STEPS = [
  'preparing',
  'importing',
  'restoring',
  'booting-kernel',
  'mounting-disk',
  'starting-engine',
  'connecting',
] as const;
export type VmStartStep = (typeof VM_START_STEPS)[number];

/** QEMU's start: the default sequence. */
export const QEMU_START_STEPS: readonly VmStartStep[] = [
  'preparing',
  'booting-kernel',
  'mounting-disk',
  'starting-engine',
  'connecting',
];
/**
 * QEMU's start from a boot snapshot (vm/snapshot/): the saved VM is loaded instead of booting, and goes
 * on from where its engine waited for its configuration. A restore that fails is a `retry` into the
 * default sequence's kernel boot.
 */
export const QEMU_RESTORE_STEPS: readonly VmStartStep[] = [
  'preparing',
  'restoring',
  'mounting-disk',
  'starting-engine',
  'connecting',
];
/**
 * WSL2's start: the distribution is imported on the first start only (a later start skips that step);
 * WSL boots its own kernel and the engine's data lives on the distribution's own disk (no disk step).
 */
export const WSL_START_STEPS: readonly VmStartStep[] = [
  'preparing',
  'importing',
  'booting-kernel',
  'starting-engine',
  'connecting',
];

export const VM_STEP_LABELS: Record<VmStartStep, string> = {
  preparing: 'Preparing the VM',
  importing: 'Importing the Linux distribution',
  restoring: 'Restoring the VM from its snapshot',
  'booting-kernel': 'Booting the kernel',
  'mounting-disk': 'Mounting the data disk',
  'starting-engine': 'Starting the engine',
  connecting: 'Connecting',
};

export interface VmFailure {
  /** Where it failed: a start step, or while running, resting or stopping. */
  during: VmStartStep | 'running' | 'resting' | 'stopping';
  message: string;
  /** The last lines the VM printed on its console. */
  consoleTail: string[];
  /** QEMU's exit status ("exit code 1", "signal SIGKILL"), or null while it still runs. */
  exitStatus: string | null;
}

export type VmState =
  | { kind: 'stopped' }
  /** retry: why this start is on its second boot (the first stalled), kept until the start ends. */
  | { kind: 'starting'; step: VmStartStep; stepIndex: number; stepCount: number; retry?: string }
  | { kind: 'running'; bootMs: number }
  /**
   * Paused to save the host's CPU and memory (no container running, no engine request for a while):
   * the vCPUs are stopped, QEMU stays; the next engine request on any door wakes it (rest/).
   * since: Date.now() when it went to rest; bootMs: the running state's, given back on waking.
   */
  | { kind: 'resting'; since: number; bootMs: number }
  | { kind: 'stopping' }
  | { kind: 'error'; failure: VmFailure };

export type VmInput =
  | { type: 'start' }
  | { type: 'step'; step: VmStartStep }
  /** The boot was killed and is started again (VmService: an early stall). */
  | { type: 'retry'; reason: string }
  | { type: 'ready'; bootMs: number }
  | { type: 'stop' }
  /** The vCPUs were paused (running -> resting) or resumed (resting -> running). */
  | { type: 'rest'; since: number }
  | { type: 'wake' }
  /** QEMU ended (by itself, killed, or after a requested power-off). */
  | { type: 'exited'; exitStatus: string; consoleTail: string[] }
  | { type: 'failed'; message: string; consoleTail: string[] };

export class IllegalVmTransitionError extends Error {
  constructor(state: VmState['kind'], input: VmInput['type']) {
    super(`VM: "${input}" is not allowed while ${state}`);
  }
}

function starting(steps: readonly VmStartStep[], step: VmStartStep, retry?: string): VmState {
  const state: VmState = { kind: 'starting', step, stepIndex: steps.indexOf(step), stepCount: steps.length };
  return retry === undefined ? state : { ...state, retry };
}

/** steps: the provider's start sequence; a step outside it (a guest marker it does not use) changes nothing. */
export function nextVmState(state: VmState, input: VmInput, steps: readonly VmStartStep[] = QEMU_START_STEPS): VmState {
  switch (state.kind) {
    case 'stopped':
    case 'error':
      // Start is also the way out of an error: the data disk is untouched by a crash.
      if (input.type === 'start') return starting(steps, steps[0]!);
      if (state.kind === 'error' && input.type === 'exited') return state; // QEMU's exit after a reported failure
      break;
    case 'starting':
      if (input.type === 'step') {
        // Steps only move forward; a repeated or late marker changes nothing.
        return steps.indexOf(input.step) > state.stepIndex ? starting(steps, input.step, state.retry) : state;
      }
      if (input.type === 'retry') return starting(steps, 'booting-kernel', input.reason);
      if (input.type === 'ready') return { kind: 'running', bootMs: input.bootMs };
      if (input.type === 'stop') return { kind: 'stopping' };
      if (input.type === 'failed') {
        return {
          kind: 'error',
          failure: { during: state.step, message: input.message, consoleTail: input.consoleTail, exitStatus: null },
        };
      }
      if (input.type === 'exited') {
        return {
          kind: 'error',
          failure: {
            during: state.step,
            message: `The VM stopped while ${VM_STEP_LABELS[state.step].toLowerCase()}.`,
            consoleTail: input.consoleTail,
            exitStatus: input.exitStatus,
          },
        };
      }
      break;
    case 'running':
      if (input.type === 'stop') return { kind: 'stopping' };
      if (input.type === 'rest') return { kind: 'resting', since: input.since, bootMs: state.bootMs };
      if (input.type === 'exited') {
        return {
          kind: 'error',
          failure: {
            during: 'running',
            message: 'The VM stopped unexpectedly.',
            consoleTail: input.consoleTail,
            exitStatus: input.exitStatus,
          },
        };
      }
      if (input.type === 'failed') {
        return {
          kind: 'error',
          failure: { during: 'running', message: input.message, consoleTail: input.consoleTail, exitStatus: null },
        };
      }
      break;
    case 'resting':
      if (input.type === 'wake') return { kind: 'running', bootMs: state.bootMs };
      // A stop wakes the vCPUs first (the guest must see the power button) and powers off from there.
      if (input.type === 'stop') return { kind: 'stopping' };
      if (input.type === 'exited') {
        return {
          kind: 'error',
          failure: {
            during: 'resting',
            message: 'The VM stopped while resting.',
            consoleTail: input.consoleTail,
            exitStatus: input.exitStatus,
          },
        };
      }
      if (input.type === 'failed') {
        return {
          kind: 'error',
          failure: { during: 'resting', message: input.message, consoleTail: input.consoleTail, exitStatus: null },
        };
      }
      break;
    case 'stopping':
      if (input.type === 'exited') return { kind: 'stopped' };
      if (input.type === 'stop') return state;
      if (input.type === 'failed') {
        return {
          kind: 'error',
          failure: { during: 'stopping', message: input.message, consoleTail: input.consoleTail, exitStatus: null },
        };
      }
      break;
  }
  throw new IllegalVmTransitionError(state.kind, input.type);
}

/** What the guest's init reports on the serial console, as the VM's start steps. */
const GUEST_STEPS: Record<string, VmStartStep> = {
  kernel: 'booting-kernel',
  modules: 'booting-kernel',
  network: 'booting-kernel',
  config: 'booting-kernel',
  disk: 'mounting-disk',
  engine: 'starting-engine',
};

/**
 * The guest's init (vm/image/init.sh) prints `BERTH-STEP <kernel|modules|network|config|disk|engine>
 * t=…`, `BERTH-READY t=…` once dockerd is up, and `BERTH-ERROR <reason>` when something fails.
 */
export function consoleMarker(line: string): { step: VmStartStep } | { ready: true } | { error: string } | null {
  const trimmed = line.trim();
  if (/^BERTH-READY(\s|$)/.test(trimmed)) return { ready: true };
  const error = /^BERTH-ERROR (.+)$/.exec(trimmed);
  if (error) return { error: error[1]! };
  const match = /^BERTH-STEP ([a-z-]+)(\s|$)/.exec(trimmed);
  const step = match ? GUEST_STEPS[match[1]!] : undefined;
  return step ? { step } : null;
}

/**
 * What became of QEMU. A failure without an exit status is one Berth saw (a BERTH-ERROR line, a
 * timeout, a check before the boot): QEMU was never started if it came while preparing, and was
 * stopped by Berth otherwise (VmService kills it when a start fails).
 */
export function qemuOutcome(failure: Pick<VmFailure, 'during' | 'exitStatus'>): string {
  return failure.exitStatus ?? (failure.during === 'preparing' ? 'not started' : 'stopped by Berth');
}

/** Failure details as one block of text a person can copy into a bug report. */
export function describeVmFailure(failure: VmFailure): string {
  const during =
    failure.during === 'running' || failure.during === 'resting' || failure.during === 'stopping'
      ? failure.during
      : VM_STEP_LABELS[failure.during];
  return [
    `${failure.message}`,
    `Step: ${during}`,
    `QEMU: ${qemuOutcome(failure)}`,
    'Console (last lines):',
    ...failure.consoleTail.map((line) => `  ${line}`),
  ].join('\n');
}
