/** `berth status`: the VM and engine state, versions, and the doors (control socket, DOCKER_HOST, context, browser link). */
import type { CommandSpec } from '../command.js';
import { describeEngine, describeVm, dockerHostOf, readSnapshot } from '../berth-snapshot.js';

export const statusCommand: CommandSpec = {
  name: 'status',
  summary: 'the VM and engine state, versions, and how to reach them',
  details: 'Exits 3 when no Berth is running, and says so (with --json: {"error": {"code": "not-running", …}}).',
  async run(context) {
    const snapshot = await readSnapshot(await context.connect());
    const { app, machine, engine } = snapshot;
    const dockerHost = dockerHostOf(snapshot);
    context.result(
      {
        running: true,
        berth: { version: app.version, pid: app.pid, shell: app.shell, stateDir: app.stateDir, logFile: app.logFile },
        engine: {
          host: machine.engine,
          description: machine.engineDescription,
          state: engine.kind,
          ...(engine.kind === 'connected' ? { version: engine.info.version, apiVersion: engine.info.apiVersion } : {}),
        },
        vm: machine.vm ? { state: machine.vm.state, notice: machine.vm.notice } : null,
        doors: {
          controlSocket: app.controlSocket,
          dockerHost,
          dockerContext: machine.vm?.dockerContext ?? null,
          browserLink: app.browserLink,
        },
      },
      () =>
        [
          `Berth ${app.version} (${app.shell}, pid ${app.pid})`,
          `  Engine          ${describeEngine(engine)}`,
          `  VM              ${describeVm(machine)}`,
          ...(machine.vm?.notice ? [`                  ${machine.vm.notice}`] : []),
          `  Control socket  ${app.controlSocket ?? '(none)'}`,
          `  DOCKER_HOST     ${dockerHost ?? '(none while the VM is stopped)'}`,
          ...(machine.vm ? [`  Docker context  ${machine.vm.dockerContext ?? '(none: no docker CLI found)'}`] : []),
          `  Browser link    ${app.browserLink ?? '(none: Berth runs in a desktop window)'}`,
          ...(app.logFile ? [`  Log             ${app.logFile}`] : []),
        ].join('\n'),
    );
  },
};
