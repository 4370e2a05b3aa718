/** `berth context`: the DOCKER_HOST line for tools that know no docker context. */
import type { CommandSpec } from '../command.js';
import { dockerHostOf, readSnapshot } from '../berth-snapshot.js';
import { CliError, EXIT } from '../exit-codes.js';

export const contextCommand: CommandSpec = {
  name: 'context',
  summary: "prints the DOCKER_HOST=… line that reaches Berth's engine",
  details: 'Use it as: export $(berth context). Exits 7 while the VM is stopped (there is no socket to name).',
  async run(context) {
    const snapshot = await readSnapshot(await context.connect());
    const dockerHost = dockerHostOf(snapshot);
    if (!dockerHost) {
      throw new CliError(EXIT.notReady, 'The VM is not running, so there is no DOCKER_HOST yet. Start it: berth start --wait');
    }
    const dockerContext = snapshot.machine.vm?.dockerContext ?? null;
    context.result({ dockerHost, dockerContext }, () => `DOCKER_HOST=${dockerHost}`);
  },
};
