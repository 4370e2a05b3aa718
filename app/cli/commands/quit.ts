/** `berth quit`: ends the running Berth process (a headless one, too); the VM syncs and powers off first. */
import type { CommandSpec } from '../command.js';
import { CliError, EXIT } from '../exit-codes.js';
import { secondsOption } from '../parse-args.js';

export const quitCommand: CommandSpec = {
  name: 'quit',
  summary: 'ends the running Berth (a headless one too): stops the VM, then the process',
  options: [{ name: 'timeout', value: 'SECONDS', help: 'how long to wait for it to end (default 120)' }],
  details: '`berth stop` stops only the VM: Berth keeps running, and `berth start` boots the VM again.',
  async run(context) {
    const timeoutMs = secondsOption(context.values, 'timeout', 120) * 1000;
    const client = await context.connect();
    const { pid } = await client.app.info({});
    await client.app.quit({});
    // Berth closes the control socket last, after the VM is off: the connection's end is Berth's.
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new CliError(EXIT.timedOut, `Berth (pid ${pid}) did not end within ${timeoutMs / 1000} s.`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([context.connection()!.closed, timedOut]);
    } finally {
      clearTimeout(timer);
    }
    context.result({ quit: true, pid }, () => `Berth (pid ${pid}) has ended.`);
  },
};
