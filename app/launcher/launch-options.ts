/** The start command's options, parsed without a library: there are four. */
export interface LaunchOptions {
  mode: 'auto' | 'web';
  /** An engine address (unix://, tcp://); overrides DOCKER_HOST. */
  engine: string | null;
  /** Boot Berth's own engine VM (QEMU) instead of using an existing engine. */
  vm: boolean;
  port: number;
  help: boolean;
}

export const USAGE = `Usage: berth [--web] [--vm | --engine ADDRESS] [--port N]
  --web             browser mode: serve the UI on 127.0.0.1 instead of opening a window
  --engine ADDRESS  the engine to use (unix:///path/docker.sock or tcp://host:port); default DOCKER_HOST, else /var/run/docker.sock
  --vm              boot Berth's own engine VM (QEMU; build its image first with npm run vm:image)
  --port N          browser mode's port (default: a free one)`;

export class LaunchOptionsError extends Error {}

export function parseLaunchOptions(argv: readonly string[]): LaunchOptions {
  const options: LaunchOptions = { mode: 'auto', engine: null, vm: false, port: 0, help: false };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    const value = () => {
      const next = argv[index + 1];
      if (next === undefined || next.startsWith('--')) throw new LaunchOptionsError(`${arg} needs a value.\n${USAGE}`);
      index += 1;
      return next;
    };
    if (arg === '--web') options.mode = 'web';
    else if (arg === '--engine') options.engine = value();
    else if (arg === '--vm') options.vm = true;
    else if (arg === '--port') {
      const port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new LaunchOptionsError(`--port must be 0-65535.\n${USAGE}`);
      options.port = port;
    } else if (arg === '--help' || arg === '-h') options.help = true;
    else throw new LaunchOptionsError(`Unknown option ${arg}.\n${USAGE}`);
  }
  if (options.vm && options.engine) throw new LaunchOptionsError(`--vm and --engine exclude each other.\n${USAGE}`);
  return options;
}
