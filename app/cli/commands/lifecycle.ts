/**
 * `berth start|stop|restart [--wait]`. start starts a headless Berth when none runs, then the VM when it
 * is stopped. stop stops the VM only; Berth keeps running (`berth quit` ends it). Without --wait a
 * command returns once the change has begun; with it, once it is done (the engine answers, or the VM is off).
 */
import type { BerthClient } from '../../contract/client.js';
import type { MachineStatus } from '../../contract/machine-contract.js';
import { NoBerthRunningError } from '../../control/index.js';
import type { CommandContext, CommandSpec, OptionSpec } from '../command.js';
import { describeEngine, describeVm, readSnapshot } from '../berth-snapshot.js';
import { startHeadlessBerth, type HeadlessStart } from '../headless-launch.js';
import { CliError, EXIT } from '../exit-codes.js';
import { secondsOption } from '../parse-args.js';
import { waitForItem } from '../streams.js';

const WAIT_OPTIONS: readonly OptionSpec[] = [
  { name: 'wait', help: 'return when done (the engine answers; the VM is off), not when it has begun' },
  { name: 'timeout', value: 'SECONDS', help: 'how long --wait waits (default 600: a VM boot without KVM is slow)' },
];

type VmKind = NonNullable<MachineStatus['vm']>['state']['kind'];
const vmKind = (status: MachineStatus): VmKind | null => status.vm?.state.kind ?? null;

async function waitForEngine(client: BerthClient, timeoutMs: number): Promise<void> {
  const [, status] = await Promise.all([
    waitForItem(
      client.engine.state.bind(client.engine),
      (state) => state.kind === 'connected',
      timeoutMs,
      'the engine to answer',
    ),
    // A VM that failed will not get there: say its failure now rather than time out.
    waitForItem(
      client.machine.status.bind(client.machine),
      (now) => [null, 'running', 'resting', 'error'].includes(vmKind(now)),
      timeoutMs,
      'the VM to run',
    ),
  ]);
  if (vmKind(status) === 'error') throw new CliError(EXIT.failed, `The VM ${describeVm(status)}`);
}

/** Calls a VM method; without --wait returns once the VM's state shows the change began. */
async function vmChange(
  context: CommandContext,
  client: BerthClient,
  call: () => Promise<null>,
  begun: (kind: VmKind | null) => boolean,
) {
  const timeoutMs = secondsOption(context.values, 'timeout', 600) * 1000;
  const done = call();
  // No VM (an engine the user chose): Berth's answer is the whole story (it says why it cannot).
  if (context.flags.has('wait') || vmKind((await readSnapshot(client)).machine) === null) return void (await done);
  done.catch(() => undefined); // reported by `berth status`; this command returns once the change began
  await Promise.race([
    done,
    waitForItem(client.machine.status.bind(client.machine), (status) => begun(vmKind(status)), timeoutMs, 'the VM to react'),
  ]);
}

function launchArgs(context: CommandContext): string[] {
  const args: string[] = [];
  const engine = context.values.get('engine');
  if (engine) args.push('--engine', engine);
  if (context.flags.has('host-engine')) args.push('--host-engine');
  if (context.flags.has('vm')) args.push('--vm');
  const port = context.values.get('port');
  if (port) args.push('--port', port);
  return args;
}

export const startCommand: CommandSpec = {
  name: 'start',
  summary: 'starts Berth headless when none runs, and its VM when stopped',
  options: [
    ...WAIT_OPTIONS,
    { name: 'headless', help: 'say it: a Berth this command starts is always headless (no window, no page)' },
    { name: 'engine', value: 'ADDRESS', help: 'for a Berth this starts: use this engine (unix://, tcp://), no VM' },
    { name: 'host-engine', help: "for a Berth this starts: this computer's engine instead of the VM" },
    { name: 'vm', help: "for a Berth this starts: Berth's VM even when DOCKER_HOST is set" },
    { name: 'port', value: 'N', help: "for a Berth this starts: browser mode's port (default: a free one)" },
  ],
  details: 'A headless Berth writes its log to headless.log in the state folder and runs until `berth quit`.',
  async run(context) {
    let started: HeadlessStart | null = null;
    let client: BerthClient;
    try {
      client = await context.connect();
    } catch (error) {
      if (!(error instanceof NoBerthRunningError)) throw error;
      started = await startHeadlessBerth(context.stateDir, launchArgs(context));
      context.say(`Started a headless Berth (pid ${started.pid}); its log: ${started.logFile}`);
      client = await context.connect();
    }
    if (!started && launchArgs(context).length > 0) {
      context.say(
        'Berth is running already: --engine, --host-engine, --vm and --port apply only to a Berth this command starts.',
      );
    }
    const before = await readSnapshot(client);
    const kind = vmKind(before.machine);
    if (kind === 'stopped' || kind === 'error') {
      await vmChange(
        context,
        client,
        () => client.machine.start({}),
        (now) => now !== 'stopped' && now !== 'error',
      );
    }
    if (context.flags.has('wait')) await waitForEngine(client, secondsOption(context.values, 'timeout', 600) * 1000);
    const after = await readSnapshot(client);
    context.result(
      {
        started: started !== null,
        pid: after.app.pid,
        logFile: started?.logFile ?? null,
        vm: after.machine.vm?.state ?? null,
        engine: after.engine.kind,
      },
      () => `VM: ${describeVm(after.machine)}\nEngine: ${describeEngine(after.engine)}`,
    );
  },
};

export const stopCommand: CommandSpec = {
  name: 'stop',
  summary: 'stops the VM (it syncs and powers off); Berth keeps running until `berth quit`',
  options: WAIT_OPTIONS,
  async run(context) {
    const client = await context.connect();
    const kind = vmKind((await readSnapshot(client)).machine);
    if (kind !== 'stopped')
      await vmChange(
        context,
        client,
        () => client.machine.stop({}),
        (now) => now !== 'running' && now !== 'resting' && now !== 'starting',
      );
    const after = await readSnapshot(client);
    context.result({ vm: after.machine.vm?.state ?? null }, () => `VM: ${describeVm(after.machine)}`);
  },
};

export const restartCommand: CommandSpec = {
  name: 'restart',
  summary: 'stops the VM, then starts it again',
  options: WAIT_OPTIONS,
  async run(context) {
    const client = await context.connect();
    await vmChange(
      context,
      client,
      () => client.machine.restart({}),
      (now) => now !== 'running',
    );
    if (context.flags.has('wait')) await waitForEngine(client, secondsOption(context.values, 'timeout', 600) * 1000);
    const after = await readSnapshot(client);
    context.result(
      { vm: after.machine.vm?.state ?? null, engine: after.engine.kind },
      () => `VM: ${describeVm(after.machine)}\nEngine: ${describeEngine(after.engine)}`,
    );
  },
};
