import { describe, expect, it } from 'vitest';
import {
  consoleMarker,
  describeVmFailure,
  IllegalVmTransitionError,
  nextVmState,
  qemuOutcome,
  VM_START_STEPS,
  QEMU_START_STEPS,
  WSL_START_STEPS,
  type VmInput,
  type VmState,
} from './vm-state.js';

const tail = ['[    2.1] EXT4-fs (vda): mounted', 'dockerd: failed to start'];

function walk(...inputs: Parameters<typeof nextVmState>[1][]): VmState {
  return inputs.reduce<VmState>((state, input) => nextVmState(state, input), { kind: 'stopped' });
}

describe('VM state machine', () => {
  it('walks the start steps in order to running', () => {
    let state = nextVmState({ kind: 'stopped' }, { type: 'start' });
    expect(state).toEqual({ kind: 'starting', step: 'preparing', stepIndex: 0, stepCount: QEMU_START_STEPS.length });
    for (const step of QEMU_START_STEPS.slice(1)) {
      state = nextVmState(state, { type: 'step', step });
      expect(state).toMatchObject({ kind: 'starting', step });
    }
    expect(nextVmState(state, { type: 'ready', bootMs: 8500 })).toEqual({ kind: 'running', bootMs: 8500 });
  });

  it("counts a provider's own steps and ignores a step it does not go through", () => {
    const wsl = (state: VmState, input: Parameters<typeof nextVmState>[1]) => nextVmState(state, input, WSL_START_STEPS);
    const started = wsl({ kind: 'stopped' }, { type: 'start' });
    expect(started).toEqual({ kind: 'starting', step: 'preparing', stepIndex: 0, stepCount: 5 });
    const importing = wsl(started, { type: 'step', step: 'importing' });
    expect(importing).toEqual({ kind: 'starting', step: 'importing', stepIndex: 1, stepCount: 5 });
    // The guest's disk marker means nothing under WSL (no data disk of Berth's own).
    expect(wsl(importing, { type: 'step', step: 'mounting-disk' })).toBe(importing);
    expect(wsl(importing, { type: 'step', step: 'starting-engine' })).toMatchObject({ stepIndex: 3 });
    // QEMU never imports: the step is not its own.
    const qemu = nextVmState({ kind: 'stopped' }, { type: 'start' });
    expect(nextVmState(qemu, { type: 'step', step: 'importing' })).toBe(qemu);
    expect(VM_START_STEPS).toEqual(expect.arrayContaining([...QEMU_START_STEPS, ...WSL_START_STEPS]));
  });

  it('a retried boot says why through the rest of the start, and running forgets it', () => {
    const retried = walk(
      { type: 'start' },
      { type: 'step', step: 'booting-kernel' },
      { type: 'retry', reason: 'Stalled; booting again.' },
    );
    expect(retried).toMatchObject({ kind: 'starting', step: 'booting-kernel', retry: 'Stalled; booting again.' });
    const later = nextVmState(retried, { type: 'step', step: 'starting-engine' });
    expect(later).toMatchObject({ kind: 'starting', step: 'starting-engine', retry: 'Stalled; booting again.' });
    expect(nextVmState(later, { type: 'ready', bootMs: 1 })).toEqual({ kind: 'running', bootMs: 1 });
    expect(walk({ type: 'start' }, { type: 'step', step: 'booting-kernel' })).not.toHaveProperty('retry');
  });

  it('never moves a step backwards', () => {
    const state = walk({ type: 'start' }, { type: 'step', step: 'starting-engine' });
    expect(nextVmState(state, { type: 'step', step: 'booting-kernel' })).toBe(state);
  });

  it('a failure during start names the step and keeps the console tail', () => {
    const state = walk(
      { type: 'start' },
      { type: 'step', step: 'mounting-disk' },
      { type: 'failed', message: 'no disk', consoleTail: tail },
    );
    expect(state).toEqual({
      kind: 'error',
      failure: { during: 'mounting-disk', message: 'no disk', consoleTail: tail, exitStatus: null },
    });
  });

  it('QEMU dying while running (a crash or kill -9) is an error with its exit status, and Start recovers', () => {
    const crashed = walk(
      { type: 'start' },
      { type: 'ready', bootMs: 1 },
      { type: 'exited', exitStatus: 'signal SIGKILL', consoleTail: tail },
    );
    expect(crashed).toMatchObject({
      kind: 'error',
      failure: { during: 'running', exitStatus: 'signal SIGKILL', consoleTail: tail },
    });
    expect(nextVmState(crashed, { type: 'start' })).toMatchObject({ kind: 'starting', step: 'preparing' });
  });

  it('QEMU dying during boot names the step it was on', () => {
    const state = walk(
      { type: 'start' },
      { type: 'step', step: 'booting-kernel' },
      { type: 'exited', exitStatus: 'exit code 1', consoleTail: [] },
    );
    expect(state).toMatchObject({ kind: 'error', failure: { during: 'booting-kernel', exitStatus: 'exit code 1' } });
    expect((state as Extract<VmState, { kind: 'error' }>).failure.message).toBe('The VM stopped while booting the kernel.');
  });

  it('stop goes through stopping to stopped when QEMU exits', () => {
    const state = walk({ type: 'start' }, { type: 'ready', bootMs: 1 }, { type: 'stop' });
    expect(state).toEqual({ kind: 'stopping' });
    expect(nextVmState(state, { type: 'stop' })).toBe(state);
    expect(nextVmState(state, { type: 'exited', exitStatus: 'exit code 0', consoleTail: [] })).toEqual({ kind: 'stopped' });
  });

  it('rests from running and wakes back to the same boot', () => {
    const resting = walk({ type: 'start' }, { type: 'ready', bootMs: 7 }, { type: 'rest', since: 1234 });
    expect(resting).toEqual({ kind: 'resting', since: 1234, bootMs: 7 });
    expect(nextVmState(resting, { type: 'wake' })).toEqual({ kind: 'running', bootMs: 7 });
    expect(nextVmState(resting, { type: 'stop' })).toEqual({ kind: 'stopping' });
  });

  it('QEMU dying while resting is an error with its console, and Start recovers', () => {
    const died = walk(
      { type: 'start' },
      { type: 'ready', bootMs: 1 },
      { type: 'rest', since: 1 },
      { type: 'exited', exitStatus: 'signal SIGKILL', consoleTail: tail },
    );
    expect(died).toEqual({
      kind: 'error',
      failure: { during: 'resting', message: 'The VM stopped while resting.', consoleTail: tail, exitStatus: 'signal SIGKILL' },
    });
    expect(describeVmFailure((died as Extract<VmState, { kind: 'error' }>).failure)).toContain('Step: resting');
    expect(nextVmState(died, { type: 'start' })).toMatchObject({ kind: 'starting', step: 'preparing' });
    const failedWake = walk(
      { type: 'start' },
      { type: 'ready', bootMs: 1 },
      { type: 'rest', since: 1 },
      { type: 'failed', message: 'no wake', consoleTail: [] },
    );
    expect(failedWake).toMatchObject({ kind: 'error', failure: { during: 'resting', message: 'no wake', exitStatus: null } });
  });

  it('a start can be cancelled with stop', () => {
    expect(walk({ type: 'start' }, { type: 'stop' })).toEqual({ kind: 'stopping' });
  });

  const illegal: Array<[VmState, VmInput]> = [
    [{ kind: 'stopped' }, { type: 'stop' }],
    [{ kind: 'stopped' }, { type: 'ready', bootMs: 1 }],
    [{ kind: 'running', bootMs: 1 }, { type: 'start' }],
    [{ kind: 'stopping' }, { type: 'start' }],
    [{ kind: 'stopping' }, { type: 'ready', bootMs: 1 }],
    [{ kind: 'stopped' }, { type: 'rest', since: 1 }],
    [{ kind: 'running', bootMs: 1 }, { type: 'wake' }],
    [{ kind: 'resting', since: 1, bootMs: 1 }, { type: 'start' }],
    [
      { kind: 'starting', step: 'preparing', stepIndex: 0, stepCount: 5 },
      { type: 'rest', since: 1 },
    ],
  ];
  it.each(illegal)('refuses %j then %j', (state, input) => {
    expect(() => nextVmState(state, input)).toThrow(IllegalVmTransitionError);
  });
});

describe('console markers', () => {
  it.each([
    ['BERTH-STEP kernel t=1.93', { step: 'booting-kernel' }],
    ['BERTH-STEP network t=2.40', { step: 'booting-kernel' }],
    ['BERTH-STEP disk t=2.61', { step: 'mounting-disk' }],
    ['  BERTH-STEP engine t=3.02\r', { step: 'starting-engine' }],
    ['BERTH-READY t=5.44', { ready: true }],
    ['BERTH-READY', { ready: true }],
    ['BERTH-ERROR engine: TLS material missing', { error: 'engine: TLS material missing' }],
    ['BERTH-STEP poweroff t=9.1', null],
    ['BERTH-STEP reticulating-splines', null],
    ['[    0.000000] Linux version 6.1', null],
    ['echo BERTH-READY', null],
  ])('%j', (line, marker) => expect(consoleMarker(line)).toEqual(marker));
});

describe('failure details', () => {
  it('read as one block a person can copy', () => {
    const text = describeVmFailure({
      during: 'starting-engine',
      message: 'The VM stopped.',
      consoleTail: tail,
      exitStatus: 'exit code 1',
    });
    expect(text).toBe(
      [
        'The VM stopped.',
        'Step: Starting the engine',
        'QEMU: exit code 1',
        'Console (last lines):',
        `  ${tail[0]}`,
        `  ${tail[1]}`,
      ].join('\n'),
    );
  });

  it('says QEMU was never started by a failure while preparing, and stopped by Berth after a later one', () => {
    expect(qemuOutcome({ during: 'preparing', exitStatus: null })).toBe('not started');
    expect(qemuOutcome({ during: 'connecting', exitStatus: null })).toBe('stopped by Berth');
    expect(qemuOutcome({ during: 'running', exitStatus: 'signal SIGKILL' })).toBe('signal SIGKILL');
  });
});
