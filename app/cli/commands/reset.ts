/** `berth reset`: the VM's factory reset (its data disk: images, containers, volumes); asks first unless --yes. */
import type { CommandSpec } from '../command.js';
import { CliError, EXIT } from '../exit-codes.js';

export const resetCommand: CommandSpec = {
  name: 'reset',
  summary: "factory reset: deletes the VM's data disk (images, containers, volumes); settings are kept",
  options: [{ name: 'yes', help: 'do not ask (for scripts; without a terminal, reset needs it)' }],
  details: 'Exits 6 when not confirmed.',
  async run(context) {
    const client = await context.connect();
    const confirmed =
      context.flags.has('yes') ||
      (await context.confirm("Delete the VM's data disk: all images, containers and volumes in Berth's VM? Type yes to go on: "));
    if (!confirmed) throw new CliError(EXIT.notConfirmed, 'Nothing was reset. To reset without a question: berth reset --yes');
    await client.machine.factoryReset({});
    context.result(
      { reset: true },
      () => 'The VM is stopped and its data disk deleted; `berth start` boots it with an empty one.',
    );
  },
};
