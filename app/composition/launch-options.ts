/** The start command's options, parsed without a library: there are few. The launcher and Electron both parse them here. */
export interface LaunchOptions {
  /** headless: the VM and its doors (control socket, browser-mode link) with no window and no page. */
  mode: 'auto' | 'web' | 'headless';
  /** An engine address (unix://, tcp://); overrides DOCKER_HOST. */
  engine: string | null;
  /** Boot Berth's own engine VM even when DOCKER_HOST is set (it is the default otherwise). */
  vm: boolean;
  /** Use this computer's engine (the system socket, or a private dockerd) instead of the VM. */
  hostEngine: boolean;
  port: number;
  help: boolean;
}

export const USAGE = `Usage: berth [--web | --headless] [--vm | --host-engine | --engine ADDRESS] [--port N]
  By default Berth boots its own engine VM (QEMU), unless DOCKER_HOST names an engine.
  --web             browser mode: serve the UI on 127.0.0.1 instead of opening a window
  --headless        no window: the VM, the control socket and the browser-mode link only; keeps
                    running when a UI closes (\`berth quit\` ends it)
  --engine ADDRESS  the engine to use (unix:///path/docker.sock or tcp://host:port); no VM is started
  --host-engine     this computer's engine (/var/run/docker.sock, or a private dockerd as root on Linux)
  --vm              Berth's VM even when DOCKER_HOST is set
  --port N          browser mode's port (default: a free one)`;

export class LaunchOptionsError extends Error {}

/**
 * ignoreUnknown: Electron's main process gets its own switches and its entry script among the
 * arguments (and Playwright adds --inspect and --remote-debugging-port), so it skips what is not Berth's.
 */
export function parseLaunchOptions(argv: readonly string[], { ignoreUnknown = false } = {}): LaunchOptions {
  const options: LaunchOptions = { mode: 'auto', engine: null, vm: false, hostEngine: false, port: 0, help: false };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    const value = () => {
      const next = argv[index + 1];
      if (next === undefined || next.startsWith('--')) throw new LaunchOptionsError(`${arg} needs a value.\n${USAGE}`);
      index += 1;
      return next;
    };
    if (arg === '--web') options.mode = 'web';
    else if (arg === '--headless') options.mode = 'headless';
    else if (arg === '--engine') options.engine = value();
    else if (arg === '--vm') options.vm = true;
    else if (arg === '--host-engine') options.hostEngine = true;
    else if (arg === '--port') {
      const port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new LaunchOptionsError(`--port must be 0-65535.\n${USAGE}`);
      options.port = port;
    } else if (arg === '--help' || arg === '-h') options.help = true;
    else if (!ignoreUnknown) throw new LaunchOptionsError(`Unknown option ${arg}.\n${USAGE}`);
  }
  const engineChoices = [options.vm && '--vm', options.hostEngine && '--host-engine', options.engine && '--engine'].filter(
    Boolean,
  );
  if (engineChoices.length > 1) throw new LaunchOptionsError(`${engineChoices.join(' and ')} exclude each other.\n${USAGE}`);
  return options;
}
