/**
 * `npm start`: opens the desktop window where an Electron binary exists, else says so in one line
 * and starts browser mode. `npm run web` (--web) starts browser mode directly.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeBerth, LaunchOptionsError, parseLaunchOptions, USAGE, type LaunchOptions } from '../composition/index.js';
import { createAppImplementation } from '../backend/app-api.js';
import { claimControlSocket, createAppShell } from '../control/index.js';
import { ensureBerthStateDir } from '../state-dir.js';
import { startWebServer } from '../web/web-server.js';
import { createConsoleApiLogger } from './api-logger.js';
import { installLastResortGuard } from './last-resort-guard.js';

const here = dirname(fileURLToPath(import.meta.url));
/** dist/app/ when bundled; the renderer is built next to it in dist/renderer. */
const distDir = join(here, '..');

/** The Electron binary's path, or why there is none. */
export function findElectronBinary(): { path: string } | { missing: string } {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown;
    if (typeof binary === 'string' && existsSync(binary)) return { path: binary };
    return { missing: 'the electron package has no binary' };
  } catch (error) {
    const message = (error as Error).message;
    // The electron package installs without its binary when GitHub, where the binary lives, is out of reach.
    if (/failed to install correctly/i.test(message)) {
      return { missing: 'its download did not complete; see node_modules/.berth-electron-install.log' };
    }
    return { missing: message.split('\n')[0] ?? 'not installed' };
  }
}

async function runBrowserMode(options: LaunchOptions): Promise<void> {
  installLastResortGuard();
  const projectRoot = join(distDir, '..');
  // Before the engine: a second Berth on this state folder stops here, before it boots a second VM.
  const stateDir = ensureBerthStateDir();
  const control = await claimControlSocket(stateDir);
  const berth = await composeBerth(options, { projectRoot });
  if (berth.note) console.log(berth.note);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await berth.shutdown();
    // Last: while it answers, no second Berth starts on this state folder, and `berth quit` waits.
    await control.close();
    process.exit(0);
  };
  const implementation = {
    ...berth.implementation,
    app: createAppImplementation(
      createAppShell({
        shell: options.mode === 'headless' ? 'headless' : 'browser',
        projectRoot,
        stateDir,
        controlSocket: control.socketPath,
        browserLink: () => server.url,
        quit: () => void stop(),
      }),
    ),
  };
  const logger = createConsoleApiLogger();
  const server = await startWebServer({
    rendererDir: join(distDir, 'renderer'),
    implementation,
    port: options.port,
    logger,
    // The containers view is the first thing a page asks for: start the engine's listing now.
    onAppPageRequested: () => berth.services.containers.readListAhead(),
  });
  berth.addSecret({ label: 'the browser-mode token', value: server.token });
  control.serve(implementation, logger);
  console.log(`Berth (${options.mode === 'headless' ? 'headless' : 'browser mode'}) on ${berth.host.description}`);
  console.log(`Open: ${server.url}`);
  console.log(`Control socket: ${control.socketPath}`);
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

function runElectron(binary: string, options: LaunchOptions): void {
  const args = [join(distDir, 'app', 'electron-main.cjs')];
  if (options.engine) args.push('--engine', options.engine);
  if (options.vm) args.push('--vm');
  if (options.hostEngine) args.push('--host-engine');
  const child = spawn(binary, args, { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

async function main(): Promise<void> {
  let options: LaunchOptions;
  try {
    options = parseLaunchOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof LaunchOptionsError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  if (options.help) return void console.log(USAGE);
  // Headless never opens a window, so it never needs Electron.
  if (options.mode === 'auto') {
    const electron = findElectronBinary();
    if ('path' in electron) return runElectron(electron.path, options);
    console.log(`No Electron binary here (${electron.missing}); starting browser mode instead.`);
  }
  await runBrowserMode(options);
}

main().catch((error: unknown) => {
  console.error(`Berth could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
