/** `berth diagnose`: writes the diagnostics archive (logs, VM console, engine info, redacted settings) and names it. */
import type { CommandSpec } from '../command.js';

export const diagnoseCommand: CommandSpec = {
  name: 'diagnose',
  summary: 'writes one diagnostics archive (logs, VM console, engine info, settings without secrets) and prints its path',
  async run(context) {
    const archive = await (await context.connect()).system.diagnose({});
    context.result(archive, () => `Wrote ${archive.path} (${Math.max(1, Math.round(archive.bytes / 1024))} KiB)`);
  },
};
